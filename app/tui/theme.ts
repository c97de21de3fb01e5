/**
 * Colours and symbols, in one place. Colour is never the only signal: every state also has its
 * own symbol, so the screen reads the same with NO_COLOR, on a projector, or to a colour-blind eye.
 */
import chalk from "chalk";
import { colorDisabled } from "../terminal/styles.js";

export const color = {
  accent: "cyan",
  pass: "green",
  fail: "red",
  warn: "yellow",
  dim: "gray",
} as const;

/** How each state is drawn, a check's or a step's: a symbol, and a colour that only repeats it. */
export const MARK = {
  pass: { symbol: "✓", color: color.pass },
  fail: { symbol: "✗", color: color.fail },
  error: { symbol: "!", color: color.warn },
  partial: { symbol: "◐", color: color.warn },
  "not-started": { symbol: "○", color: color.dim },
  pending: { symbol: "·", color: color.dim },
} as const;

export type Mark = keyof typeof MARK;

/** The marks by name, and the step list's cursor. */
export const symbol = {
  pass: MARK.pass.symbol,
  fail: MARK.fail.symbol,
  warn: MARK.error.symbol,
  partial: MARK.partial.symbol,
  notStarted: MARK["not-started"].symbol,
  cursor: "›",
} as const;

export const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/**
 * chalk (which Ink and marked-terminal both draw with) honours FORCE_COLOR but not NO_COLOR,
 * so the app turns it off itself before the first render.
 */
export function applyColorPreference(env: NodeJS.ProcessEnv = process.env): void {
  if (colorDisabled(env)) chalk.level = 0;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
