/**
 * The app's own state (what is open, focused, scrolled), kept so that every key sees the state
 * the key before it left, even when both arrive in one read from the terminal, before React has
 * drawn again: updates land in a ref at once, and re-render after.
 */
import { useRef, useState } from "react";
import type { MainView } from "./main-pane.js";

export type Focus = "steps" | "main" | "checks";
export const FOCUS_ORDER: Focus[] = ["steps", "main", "checks"];

/** A scroll position, or "where hint N starts" until the page is laid out. */
export type Scroll = number | { hint: number };

export interface Ui {
  /** The open step's id, or a page's ("intro", "outro"). */
  openId: string;
  /** The position of the cursor in the step list (ENTRIES). */
  cursor: number;
  focus: Focus;
  view: MainView;
  scroll: Record<MainView, Scroll>;
  checksScroll: number;
  /** Asking "show the solution?" */
  confirming: boolean;
  showDiff: boolean;
  instructor: boolean;
  quitting: boolean;
  /** Why the last run started: "saved process.ts". */
  trigger?: string;
  /** A word about the last key, shown in the footer until the next one. */
  notice?: string;
}

export function useUi(initial: () => Ui): [Ui, (change: Partial<Ui>) => void, { readonly current: Ui }] {
  const [ui, setUi] = useState(initial);
  const latest = useRef(ui);
  const update = (change: Partial<Ui>) => {
    latest.current = { ...latest.current, ...change };
    setUi(latest.current);
  };
  return [ui, update, latest];
}
