/**
 * The checks pane's cursor: with the pane focused, ↑ ↓ (and g G) move it from check to check,
 * scrolling to keep it in view, and Enter opens the check under it (its whole title, and what it
 * said even when it passed) or closes it again.
 */
import type { Ui } from "./ui-state.js";

export interface CheckCursorContext {
  ui: Ui;
  update(change: Partial<Ui>): void;
  /** The open step's checks, in order. */
  checkIds: readonly string[];
  /** The pane row a check starts on, as last drawn, and how many rows the pane has in all. */
  rowOf(id: string): number;
  rowCount: number;
  /** How many rows the pane shows. */
  checksRows: number;
}

/**
 * Moves the cursor to the `to`th check (kept in range) and scrolls it into view with the rows that
 * belong to it (what it said; after the last check, everything to the pane's end), its own row
 * first when they do not all fit.
 */
export function moveCheckCursor(ctx: CheckCursorContext, to: number): void {
  const { ui, checkIds } = ctx;
  const index = Math.max(0, Math.min(to, checkIds.length - 1));
  const row = ctx.rowOf(checkIds[index] as string);
  const next = checkIds[index + 1];
  const end = next === undefined ? ctx.rowCount : ctx.rowOf(next);
  // The first check brings the status line above it back into view.
  let scroll = index === 0 ? 0 : ui.checksScroll;
  if (end > scroll + ctx.checksRows) scroll = end - ctx.checksRows;
  if (row < scroll) scroll = row;
  ctx.update({ checkCursor: index, checksScroll: Math.max(0, scroll) });
}

/** Opens the check under the cursor, or closes it. */
export function toggleCheck({ ui, update, checkIds }: CheckCursorContext): void {
  const id = checkIds[Math.min(ui.checkCursor, checkIds.length - 1)];
  if (id === undefined) return;
  update({ openedChecks: ui.openedChecks.includes(id) ? ui.openedChecks.filter((c) => c !== id) : [...ui.openedChecks, id] });
}
