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
  /** The pane row a check starts on, as last drawn. */
  rowOf(id: string): number;
  /** How many rows the pane shows. */
  checksRows: number;
}

/** Moves the cursor to the `to`th check (kept in range) and scrolls it into view. */
export function moveCheckCursor(ctx: CheckCursorContext, to: number): void {
  const { ui, checkIds } = ctx;
  const index = Math.max(0, Math.min(to, checkIds.length - 1));
  const row = ctx.rowOf(checkIds[index] as string);
  // The first check brings the status line above it back into view.
  const scroll = index === 0 ? 0 : row < ui.checksScroll ? row : row >= ui.checksScroll + ctx.checksRows ? row - ctx.checksRows + 1 : ui.checksScroll;
  ctx.update({ checkCursor: index, checksScroll: Math.max(0, scroll) });
}

/** Opens the check under the cursor, or closes it. */
export function toggleCheck({ ui, update, checkIds }: CheckCursorContext): void {
  const id = checkIds[Math.min(ui.checkCursor, checkIds.length - 1)];
  if (id === undefined) return;
  update({ openedChecks: ui.openedChecks.includes(id) ? ui.openedChecks.filter((c) => c !== id) : [...ui.openedChecks, id] });
}
