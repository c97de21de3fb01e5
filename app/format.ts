/**
 * How the programs write a state, a time and a path for people: the app, `workshop check` and
 * `workshop doctor` draw the same marks. Colour is never the only signal: every state also has
 * its own symbol, so the output reads the same with NO_COLOR, on a projector, or to a colour-blind eye.
 */
import { relative } from "node:path";

let highContrast = false;

/**
 * High contrast (the app's projector mode): secondary text in the normal colour instead of grey,
 * which a projector washes out.
 */
export function setHighContrast(on: boolean): void {
  highContrast = on;
}

/** Colour names, as chalk and Ink both take them. */
export const color = {
  accent: "cyan",
  pass: "green",
  fail: "red",
  warn: "yellow",
  /** Secondary text: grey, or the normal colour in high contrast. */
  get dim(): "gray" | undefined {
    return highContrast ? undefined : "gray";
  },
} as const;

/** How each state is drawn, a check's or a step's: a symbol, and a colour that only repeats it. */
export const MARK = {
  pass: { symbol: "✓", color: color.pass },
  fail: { symbol: "✗", color: color.fail },
  error: { symbol: "!", color: color.warn },
  partial: { symbol: "◐", color: color.warn },
  "not-started": { symbol: "○", color: "gray" },
  pending: { symbol: "·", color: "gray" },
} as const;

export type Mark = keyof typeof MARK;

/**
 * NO_COLOR (https://no-color.org): any non-empty value turns colour off; so does TERM=dumb, a
 * terminal that draws no colour (chalk already leaves it out there: the app must know, to show
 * focus and the open step without it).
 */
export function colorDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.NO_COLOR) || env.TERM === "dumb";
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A path as people see it: relative to the repository when inside it. */
export function shownPath(repo: string, file: string): string {
  const rel = relative(repo, file);
  return rel.startsWith("..") ? file : rel;
}
