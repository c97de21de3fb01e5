/**
 * The rows of the big pane as drawn: prose as it is; code blocks, tables and any row wider than
 * the pane (a URL) scrolled sideways together by ←/→, with ‹ and › where they go on out of view;
 * the search's matches highlighted.
 */
import chalk from "chalk";
import { stripVTControlCharacters } from "node:util";
import sliceAnsi from "slice-ansi";
import type { Block } from "../terminal/markdown.js";
import type { Match } from "./search.js";

export interface PageText {
  lines: string[];
  blocks?: Block[];
}

// Reverse video, whatever the colour setting: NO_COLOR asks for no colour, and a match must still show.
const MATCH = ["\u001b[7m", "\u001b[27m"] as const;
const CURRENT = ["\u001b[1m\u001b[7m", "\u001b[27m\u001b[22m"] as const;

const SGR = /\u001b\[[\d;]*m/g;

const widthOf = (row: string) => stripVTControlCharacters(row).length;

function sideways(text: PageText, width: number): (row: number) => boolean {
  const inBlock = new Set((text.blocks ?? []).flatMap((b) => Array.from({ length: b.end - b.start }, (_, i) => b.start + i)));
  return (row) => inBlock.has(row) || widthOf(text.lines[row] ?? "") > width;
}

/** How far the rows that scroll sideways can go. */
export function maxSideways(text: PageText, width: number): number {
  const shifts = sideways(text, width);
  return text.lines.reduce((most, line, row) => (shifts(row) ? Math.max(most, widthOf(line) - width + 1) : most), 0);
}

export interface View {
  offset: number;
  rows: number;
  width: number;
  hscroll: number;
  matches?: readonly Match[];
  /** The chosen match's index in `matches`. */
  current?: number;
}

/** The rows in view, each at most `width` columns; `cut`: some go on out of view, to the left or right. */
export function visibleRows(text: PageText, { offset, rows, width, hscroll, matches = [], current }: View): { rows: string[]; cut: boolean } {
  const shifts = sideways(text, width);
  let cut = false;
  const shown = text.lines.slice(offset, offset + rows).map((line, i) => {
    const row = offset + i;
    const marked = highlight(line, matches.filter((m) => m.row === row), current === undefined ? undefined : matches[current]);
    if (!shifts(row)) return marked;
    const total = widthOf(line);
    const left = hscroll > 0 && total > 0;
    const right = total > hscroll + width;
    cut ||= left || right;
    // The markers take a column each, at the edge they mark.
    const from = left ? hscroll + 1 : hscroll;
    const to = right ? hscroll + width - 1 : hscroll + width;
    return `${left ? chalk.dim("‹") : ""}${sliceAnsi(marked, from, to)}${right ? chalk.dim("›") : ""}`;
  });
  return { rows: shown, cut };
}

function highlight(line: string, matches: readonly Match[], current: Match | undefined): string {
  if (matches.length === 0) return line;
  let out = "";
  let at = 0;
  for (const m of matches) {
    const [on, off] = m === current ? CURRENT : MATCH;
    // Its colours dropped (a reset inside would end the reverse video), its hyperlink kept.
    out += sliceAnsi(line, at, m.start) + on + sliceAnsi(line, m.start, m.end).replace(SGR, "") + off;
    at = m.end;
  }
  return out + sliceAnsi(line, at);
}

/** What c copies: the code block the search's chosen match is in, else the first code block with a row in view. */
export function codeInView(text: PageText, offset: number, rows: number, match?: Match): string | undefined {
  const code = (text.blocks ?? []).filter((b) => b.code !== undefined);
  const chosen = match && match.row >= offset && match.row < offset + rows ? code.find((b) => match.row >= b.start && match.row < b.end) : undefined;
  return (chosen ?? code.find((b) => b.end > offset && b.start < offset + rows))?.code;
}
