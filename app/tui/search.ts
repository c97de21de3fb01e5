/**
 * `/` searches what the big pane shows (the page, the trace, the solution), as less does: type
 * the text, Enter keeps it, n and N go to the next and previous match, Esc ends the search. The
 * matches are highlighted; the pane scrolls (sideways too, in a code block) to the one chosen.
 * Lower-case text matches either case; a capital makes the search case-sensitive (vim's smartcase).
 */
import type { Key } from "ink";
import { stripVTControlCharacters } from "node:util";
import type { Ui } from "./ui-state.js";

export interface Search {
  query: string;
  /** Still typing the text (keys go to it), or kept (n and N move between matches). */
  typing: boolean;
  /** The match chosen, an index into the matches of `query`. */
  current: number;
  /** Where the page was when the search began: the first match is the one after it. */
  from: number;
}

export interface Match {
  row: number;
  /** Columns of the row's text, `end` excluded. */
  start: number;
  end: number;
}

export function findMatches(lines: readonly string[], query: string): Match[] {
  if (!query) return [];
  const caseSensitive = query !== query.toLowerCase();
  const wanted = caseSensitive ? query : query.toLowerCase();
  const matches: Match[] = [];
  lines.forEach((line, row) => {
    const plain = stripVTControlCharacters(line);
    const text = caseSensitive ? plain : plain.toLowerCase();
    for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + wanted.length)) matches.push({ row, start: at, end: at + wanted.length });
  });
  return matches;
}

export interface SearchContext {
  ui: Ui;
  update(change: Partial<Ui>): void;
  /** What the big pane shows, as last drawn, and how it is scrolled. */
  lines: readonly string[];
  offset: number;
  mainRows: number;
  maxScroll: number;
  /** The columns the pane shows of a row. */
  viewWidth: number;
}

/** Handles the key if it is the search's: `/`, what is typed after it, n N and Esc while a search is on. */
export function searchKey(input: string, key: Key, ctx: SearchContext): boolean {
  const { ui, update } = ctx;
  const search = ui.search;
  if (!search) {
    if (input !== "/") return false;
    update({ search: { query: "", typing: true, current: 0, from: ctx.offset }, focus: "main" });
    return true;
  }
  // Esc while typing puts the page back where the search began; once the search is kept, it stays at the match.
  if (key.escape) {
    update(search.typing ? { search: undefined, scroll: { ...ui.scroll, [ui.view]: search.from } } : { search: undefined });
    return true;
  }
  if (search.typing) {
    if (key.return) {
      const found = findMatches(ctx.lines, search.query).length > 0;
      update(found ? { search: { ...search, typing: false } } : { search: undefined, notice: search.query ? `Not found: ${search.query}` : undefined });
    } else if (key.backspace || key.delete) {
      if (!search.query) update({ search: undefined });
      else choose({ ...search, query: search.query.slice(0, -1) }, ctx);
    } else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) {
      choose({ ...search, query: search.query + input }, ctx);
    }
    return true;
  }
  if (input === "n" || input === "N") {
    const count = findMatches(ctx.lines, search.query).length;
    // Nothing matches in what the pane shows now (another view): the search is over, n is n again.
    if (count === 0) {
      update({ search: undefined });
      return false;
    }
    choose({ ...search, current: (search.current + (input === "n" ? 1 : -1) + count) % count }, ctx, false);
    return true;
  }
  return false;
}

/** The search as changed, its chosen match in view. `fresh`: the text changed, so the chosen match is the first after where the search began. */
function choose(search: Search, ctx: SearchContext, fresh = true): void {
  const matches = findMatches(ctx.lines, search.query);
  let current = search.current;
  if (fresh) {
    const after = matches.findIndex((m) => m.row >= search.from);
    current = after >= 0 ? after : 0;
  }
  const match = matches[current];
  if (!match) return ctx.update({ search: { ...search, current: 0 } });
  const { ui, offset, mainRows, maxScroll, viewWidth } = ctx;
  // Scrolled only when the match is out of view, then a third of the way down: the lines before it say what it is in.
  const inView = match.row >= offset && match.row < offset + mainRows;
  const top = inView ? offset : Math.max(0, Math.min(match.row - Math.floor(mainRows / 3), maxScroll));
  // A row as wide as the pane does not scroll sideways; a wider one (a code block's) is scrolled to the match.
  const fits = stripVTControlCharacters(ctx.lines[match.row] ?? "").length <= viewWidth;
  const seen = fits || (match.start >= ui.hscroll && match.end <= ui.hscroll + viewWidth - 1);
  const hscroll = seen ? ui.hscroll : Math.max(0, match.end - viewWidth + 2);
  ctx.update({ search: { ...search, current }, scroll: { ...ui.scroll, [ui.view]: top }, hscroll });
}

/** The footer's line while a search is on. */
export function searchStatus(search: Search, count: number): string {
  if (search.typing) return `/${search.query}▏ ${search.query ? (count ? `${count} ${count === 1 ? "match" : "matches"}` : "no match") : ""}  · enter keep · esc cancel`;
  return `/${search.query}: match ${Math.min(search.current + 1, count)} of ${count} · n N next/previous · esc end the search`;
}
