/**
 * Wrapping styled text to a pane's width, so that every line the app draws is one screen row and
 * scrolling can count in rows. Wrapped list items and indented text keep their indent.
 */
import { stripVTControlCharacters } from "node:util";
import sliceAnsi from "slice-ansi";
import wrapAnsi from "wrap-ansi";

// A list bullet ("* ", "- ", "12. ") after the indent: continuation lines align with its text.
const HANGING = /^(\s*)((?:[*•-]|\d+\.)\s+)?/;
// Tables are drawn to their own width; cutting them is better than folding their borders.
const TABLE_ROW = /^\s*[┌│├└╭╰┬┼┴─]/;

export interface WrapOptions {
  /** A word longer than a line stands whole on a row of its own, wider than `width` (a URL), instead of being cut. */
  wholeWords?: boolean;
}

/** `hanging`: the indent of continuation lines, instead of the one read from each line's start. */
export function wrapLines(text: string, width: number, hanging?: number, options: WrapOptions = {}): string[] {
  const columns = Math.max(width, 10);
  return text.split("\n").flatMap((line) => wrapLine(line.replace(/\s+$/, ""), columns, hanging, options));
}

function wrapLine(line: string, width: number, hanging: number | undefined, { wholeWords = false }: WrapOptions): string[] {
  const plain = stripVTControlCharacters(line);
  const styled = plain !== line;
  if (plain.length <= width) return [line];
  if (TABLE_ROW.test(plain)) {
    const cut = styled ? wrapAnsi(line, width - 1, { hard: true, wordWrap: false, trim: false }).split("\n")[0] : line.slice(0, width - 1);
    return [`${cut}…`];
  }
  const match = HANGING.exec(plain);
  let indent = hanging ?? (match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0);
  if (indent > width / 2) indent = 0;
  const [head, rest] = [sliceAnsi(line, 0, indent), sliceAnsi(line, indent)];
  const pad = " ".repeat(indent);
  // wrap-ansi measures every character's width: worth it for styled text only (a page before it is
  // styled, a trace line, take the quick way, which matters for the first screen).
  const parts = styled ? wrapAnsi(rest, width - indent, { hard: !wholeWords }).split("\n") : wrapWords(rest, width - indent, wholeWords);
  return parts.map((part, i) => (i === 0 ? head : pad) + part);
}

/** Word-wraps unstyled text; a word longer than a line is cut, or with `whole`, kept whole on its row. */
function wrapWords(text: string, width: number, whole: boolean): string[] {
  const lines: string[] = [];
  let line: string | undefined;
  for (let word of text.split(" ")) {
    while (word.length > width && !whole) {
      if (line) lines.push(line);
      line = undefined;
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (line === undefined) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
