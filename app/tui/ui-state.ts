/**
 * The app's own state (what is open, focused, scrolled), kept so that every key sees the state
 * the key before it left, even when both arrive in one read from the terminal, before React has
 * drawn again: updates land in a ref at once, and re-render after.
 */
import { useRef, useState } from "react";
import { INTRODUCTION_PAGE } from "../course/steps.js";
import { entryIndex, findEntry, isStep } from "./course-entries.js";
import type { MainView } from "./main-pane.js";
import type { Search } from "./search.js";

export type Focus = "steps" | "main" | "checks";
export const FOCUS_ORDER: Focus[] = ["steps", "main", "checks"];

/**
 * A scroll position, or one to resolve once the page is laid out: where hint N starts, or a
 * place saved in the progress (a fraction of the page, as the width may have changed since).
 */
export type Scroll = number | { hint: number } | { fraction: number };

export interface Ui {
  /** The open step's id, or a page's ("intro", "outro"). */
  openId: string;
  /** The position of the cursor in the step list (ENTRIES). */
  cursor: number;
  focus: Focus;
  view: MainView;
  scroll: Record<MainView, Scroll>;
  checksScroll: number;
  /** The big pane's code blocks and tables, scrolled sideways by this many columns. */
  hscroll: number;
  /** The focused pane has the whole screen. */
  zoomed: boolean;
  /** `/` and what follows: the search of the big pane. */
  search?: Search;
  /** The check under the checks pane's cursor (an index in the open step's checks), and the checks opened with Enter. */
  checkCursor: number;
  openedChecks: string[];
  /** Asking "show the solution?" */
  confirming: boolean;
  showDiff: boolean;
  instructor: boolean;
  quitting: boolean;
  /** Why the last run started: "saved process.ts". */
  trigger?: string;
  /** Every step ran on a, and nothing ran since: the checks pane says which step to fix first. */
  overview: boolean;
  /** A word about the last key, shown in the footer until the next one. */
  notice?: string;
  /** The terminal reports the mouse to the app (m turns it off, for the terminal to select text). */
  mouse: boolean;
  /** Projector mode: high contrast, roomier, the page the whole width. */
  projector: boolean;
}

/**
 * On opening: the entry the progress left open (a fresh one: the introduction), the list focused;
 * on a page without checks, the page, so that ↓ reads on.
 */
function initialUi(currentStep: string, instructor: boolean, projector: boolean, docScroll: Scroll): Ui {
  const entry = findEntry(currentStep) ?? INTRODUCTION_PAGE;
  return {
    openId: entry.id,
    cursor: entryIndex(entry.id),
    focus: isStep(entry) ? "steps" : "main",
    view: "doc",
    scroll: { doc: docScroll, trace: 0, solution: 0, help: 0 },
    checksScroll: 0,
    hscroll: 0,
    zoomed: false,
    checkCursor: 0,
    openedChecks: [],
    confirming: false,
    showDiff: false,
    instructor,
    quitting: false,
    overview: false,
    mouse: true,
    projector,
  };
}

/** The state, a function to change it, and a ref to the latest state (ahead of React's). `docScroll`: where the open page was left. */
export function useUi(currentStep: string, instructor: boolean, projector: boolean, docScroll: Scroll = 0): [Ui, (change: Partial<Ui>) => void, { readonly current: Ui }] {
  const [ui, setUi] = useState(() => initialUi(currentStep, instructor, projector, docScroll));
  const latest = useRef(ui);
  const update = (change: Partial<Ui>) => {
    latest.current = { ...latest.current, ...change };
    setUi(latest.current);
  };
  return [ui, update, latest];
}
