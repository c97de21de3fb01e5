/**
 * The mouse: the wheel scrolls the pane under the pointer, a click on a step opens it, a click on
 * a pane focuses it. The terminal reports the mouse in SGR form (ESC [ < button ; x ; y M, or m
 * on release) once asked to; while it reports, it does not select text itself, so `m` turns the
 * reporting off, and most terminals select with Shift held anyway.
 */
import { ENTRIES, findEntry, type Entry } from "./course-entries.js";
import { firstListRow, LIST_ROWS } from "./step-list.js";
import type { Ui } from "./ui-state.js";

export type MouseEvent = { kind: "wheel"; delta: -1 | 1; x: number; y: number } | { kind: "click"; x: number; y: number } | { kind: "other" };

// Ink hands the sequence over without its ESC; a raw one keeps it.
const SGR = /^(?:\u001b)?\[<(\d+);(\d+);(\d+)([Mm])$/;

/** An SGR mouse report as an event (x and y from 1, as the terminal counts); undefined for anything else. */
export function parseMouse(input: string): MouseEvent | undefined {
  const match = SGR.exec(input);
  if (!match) return undefined;
  const [button, x, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const pressed = match[4] === "M";
  // Bits 4-16 are Shift, Meta, Ctrl; 32 is motion; 64 the wheel.
  const code = button & ~(4 | 8 | 16);
  if (code === 64 || code === 65) return { kind: "wheel", delta: code === 64 ? -1 : 1, x, y };
  if (code === 0 && pressed) return { kind: "click", x, y };
  return { kind: "other" };
}

/** Where the panes are on the screen, as the app laid them out (columns and rows from 1). */
export interface ScreenGeometry {
  /** The step list's columns (left, width) and rows: a column on the left, or over the page on a narrow screen; none when not shown. */
  list?: { left: number; width: number; top: number; height: number };
  /** The page and the checks: the columns from `left`, the page's rows from `top`, the checks' after them. */
  right?: { left: number; top: number; mainHeight: number; checksHeight: number };
  /** Narrow screens: the steps as a strip in the header's row, each entry's columns. */
  strip?: { row: number; spans: readonly { id: string; from: number; to: number }[] };
}

export type Pane = { pane: "steps"; entry?: Entry } | { pane: "main" } | { pane: "checks" };

/** The pane at (x, y), and in the list the entry on that row. */
export function paneAt(x: number, y: number, geometry: ScreenGeometry, cursor: number): Pane | undefined {
  const { list, right, strip } = geometry;
  if (strip && y === strip.row) {
    const span = strip.spans.find((s) => x >= s.from && x <= s.to);
    return span ? { pane: "steps", entry: findEntry(span.id) } : undefined;
  }
  if (list && x >= list.left && x < list.left + list.width && y >= list.top && y < list.top + list.height) {
    // The list's rows start under its top border.
    const row = y - list.top - 1;
    const key = row >= 0 && row < list.height - 2 ? LIST_ROWS[firstListRow(cursor, list.height) + row] : undefined;
    return { pane: "steps", entry: key === undefined ? undefined : findEntry(key) };
  }
  if (right && x >= right.left && y >= right.top) {
    if (y < right.top + right.mainHeight) return { pane: "main" };
    if (y < right.top + right.mainHeight + right.checksHeight) return { pane: "checks" };
  }
  return undefined;
}

export interface MouseContext {
  ui: Ui;
  update(change: Partial<Ui>): void;
  geometry: ScreenGeometry;
  /** Scrolls the page (or trace, solution, keys) to a line; it keeps it in range. */
  scrollMain(to: number): void;
  offset: number;
  maxChecksScroll: number;
  open(entry: Entry): void;
}

/** Lines the wheel moves a page per notch, as most terminals and browsers do. */
const WHEEL_LINES = 3;

export function handleMouse(event: MouseEvent, ctx: MouseContext): void {
  if (event.kind === "other") return;
  const { ui, update } = ctx;
  const at = paneAt(event.x, event.y, ctx.geometry, ui.cursor);
  if (!at) return;
  if (event.kind === "wheel") {
    if (at.pane === "steps") return update({ cursor: Math.max(0, Math.min(ui.cursor + event.delta, ENTRIES.length - 1)) });
    if (at.pane === "main") return ctx.scrollMain(ctx.offset + event.delta * WHEEL_LINES);
    return update({ checksScroll: Math.max(0, Math.min(ui.checksScroll + event.delta * WHEEL_LINES, ctx.maxChecksScroll)) });
  }
  if (at.pane === "steps" && at.entry) return ctx.open(at.entry);
  update({ focus: at.pane });
}
