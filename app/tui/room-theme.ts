/**
 * The room dashboard's colours. The projector's are high contrast: no grey (it vanishes on a
 * projector), bright colours, bold text. Kept to the dashboard's own needs; once the app has a
 * projector mode of its own, this is where the two meet.
 */
import { color } from "../format.js";

export interface RoomTheme {
  text?: string;
  dim: string;
  accent: string;
  pass: string;
  fail: string;
  warn: string;
  bold: boolean;
}

export const SCREEN_THEME: RoomTheme = { dim: color.dim, accent: color.accent, pass: color.pass, fail: color.fail, warn: color.warn, bold: false };

export const PROJECTOR_THEME: RoomTheme = { text: "whiteBright", dim: "white", accent: "cyanBright", pass: "greenBright", fail: "redBright", warn: "yellowBright", bold: true };

export function roomTheme(projector: boolean): RoomTheme {
  return projector ? PROJECTOR_THEME : SCREEN_THEME;
}
