/** What only the app draws: the list's cursor, the spinner, and chalk told about NO_COLOR. The marks are in app/format.ts. */
import chalk from "chalk";
import { colorDisabled } from "../format.js";

/** The step list's cursor. */
export const CURSOR = "›";
/** The open entry, where colour cannot mark it (NO_COLOR, TERM=dumb). */
export const OPEN_MARK = "•";

export const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/**
 * chalk (which Ink and marked-terminal both draw with) honours FORCE_COLOR but not NO_COLOR,
 * so the app turns it off itself before the first render.
 */
export function applyColorPreference(env: NodeJS.ProcessEnv = process.env): void {
  if (colorDisabled(env)) chalk.level = 0;
}
