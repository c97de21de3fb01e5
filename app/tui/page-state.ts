/**
 * What the big pane's keys need of what it shows, as drawn: where it is scrolled (down and
 * sideways, a place saved or a hint resolved to a row), the search's matches, where the page is
 * (saved on leaving it), and copying the code block in view.
 */
import { useMemo } from "react";
import type { PagePlace } from "../course/progress.js";
import type { MainContent } from "./main-pane.js";
import { codeInView, maxSideways } from "./page-view.js";
import { findMatches } from "./search.js";
import type { Ui } from "./ui-state.js";

interface PageInput {
  ui: Ui;
  update(change: Partial<Ui>): void;
  content: MainContent;
  /** The rows and columns of the pane's text. */
  rows: number;
  width: number;
  clipboard?(text: string): void;
}

export function usePageView({ ui, update, content, rows, width, clipboard }: PageInput) {
  const maxScroll = Math.max(content.lines.length - rows, 0);
  const wanted = ui.scroll[ui.view];
  const resolved = typeof wanted === "number" ? wanted : "hint" in wanted ? (content.hintStarts?.[wanted.hint] ?? 0) : Math.round(wanted.fraction * content.lines.length);
  const offset = Math.min(resolved, maxScroll);
  const maxHscroll = useMemo(() => maxSideways(content, width), [content.lines, content.blocks, width]);
  const hscroll = Math.min(ui.hscroll, maxHscroll);
  const matches = useMemo(() => findMatches(content.lines, ui.search?.query ?? ""), [content.lines, ui.search?.query]);

  // The page's place, whichever view is shown; none while the page is a placeholder.
  const docScroll = ui.scroll.doc;
  let place: PagePlace | undefined;
  if (content.loading) place = undefined;
  else if (ui.view === "doc") place = { row: offset, of: content.lines.length };
  else if (typeof docScroll === "number") place = { row: docScroll, of: content.docRows };

  const copy = () => {
    const code = codeInView(content, offset, rows, ui.search && matches[ui.search.current]);
    if (code === undefined) return update({ notice: "No code block on screen: scroll to one, then press c." });
    if (!clipboard) return update({ notice: "There is no clipboard to copy to here." });
    clipboard(code);
    const lines = code.split("\n").length;
    update({ notice: `Copied the code block (${lines} ${lines === 1 ? "line" : "lines"}) to your terminal's clipboard (OSC 52).` });
  };
  return { offset, maxScroll, hscroll, maxHscroll, matches, place, copy };
}
