/**
 * Just enough Markdown to read a table back from a page: the rows of the first table under a
 * heading, split into cells, and the code spans in a cell (CommonMark rules: a span opens and
 * closes with backtick runs of the same length, and one space is stripped from each end when
 * both ends have one, so `` `x` `` is how a span shows a backtick).
 */

export function tableRows(markdown: string, heading: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("#")) break;
    if (!line.startsWith("|")) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    rows.push(line.slice(1, line.endsWith("|") ? -1 : undefined).split("|").map((cell) => cell.trim()));
  }
  // The header row and the |---| separator.
  return rows.slice(2);
}

export interface CodeSpan {
  text: string;
  /** Where the span ends in the cell, closing backticks included. */
  end: number;
}

export function codeSpans(cell: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  let i = 0;
  while (i < cell.length) {
    if (cell[i] !== "`") {
      i++;
      continue;
    }
    const fence = /^`+/.exec(cell.slice(i))![0];
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`, "g");
    close.lastIndex = i + fence.length;
    const found = close.exec(cell);
    if (!found) break;
    let text = cell.slice(i + fence.length, found.index);
    if (text.startsWith(" ") && text.endsWith(" ") && text.trim()) text = text.slice(1, -1);
    spans.push({ text, end: found.index + fence.length });
    i = found.index + fence.length;
  }
  return spans;
}
