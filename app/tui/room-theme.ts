/**
 * The room dashboard's colours. The projector's are high contrast: no grey (it vanishes on a
 * projector), bright colours, bold text: the app's projector mode (format.ts's high contrast) and
 * more, since a dashboard is read from across the room.
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

export const SCREEN_THEME: RoomTheme = { dim: "gray", accent: color.accent, pass: color.pass, fail: color.fail, warn: color.warn, bold: false };

export const PROJECTOR_THEME: RoomTheme = { text: "whiteBright", dim: "white", accent: "cyanBright", pass: "greenBright", fail: "redBright", warn: "yellowBright", bold: true };

export function roomTheme(projector: boolean): RoomTheme {
  return projector ? PROJECTOR_THEME : SCREEN_THEME;
}
