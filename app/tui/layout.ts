/**
 * How the screen is divided, from the terminal's size. Wide: the step list on the left, the page
 * (or trace, solution, keys) on the right above the checks. Narrower than 100 columns (a
 * projector's big font): the steps shrink to a strip in the header and the page takes the width.
 * One row stays free at the bottom: a frame as tall as the terminal makes Ink redraw the whole
 * screen on every change, which flickers. While a step's page is being read, its checks shrink to
 * one line (their status), so that 80×24 reads 18 rows of it, not 10; on a page without checks,
 * to what they say.
 */
export interface Layout {
  columns: number;
  height: number;
  /** The step list is a strip in the header, not a column. */
  compact: boolean;
  stepsWidth: number;
  rightWidth: number;
  mainHeight: number;
  checksHeight: number;
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
const WIDE = 100;
/** The widest a page's prose is wrapped, however wide the pane: longer lines are hard to read. */
export const PAGE_COLUMNS = 100;

/**
 * `checksRows`: how many rows the checks pane's content would like. `checks`: "line" while a
 * step's page is read (its status only), "fit" while a page without checks is (its sentence or
 * two, no blank rows under them). In projector mode the steps are a strip at any width: the page
 * gets the whole width for its big font.
 */
export function layout(columns: number, rows: number, checksRows: number, { checks = "full", projector = false }: { checks?: "full" | "fit" | "line"; projector?: boolean } = {}): Layout {
  const height = rows - 1;
  const body = height - 2;
  const compact = columns < WIDE || projector;
  const stepsWidth = compact ? 0 : columns >= 120 ? 36 : 30;
  const fitted = Math.min(Math.max(checksRows + 2, checks === "fit" ? 3 : 5), Math.floor(body * 0.45));
  const checksHeight = checks === "line" ? 1 : fitted;
  return { columns, height, compact, stepsWidth, rightWidth: columns - stepsWidth, mainHeight: body - checksHeight, checksHeight };
}

export function tooSmall(columns: number, rows: number): boolean {
  return columns < MIN_COLUMNS || rows < MIN_ROWS;
}
