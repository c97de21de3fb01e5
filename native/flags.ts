import { constants } from "node:os";
import { CLONE, F_GETFD, F_GETFL, F_SETFD, F_SETFL, MNT, MS, PR } from "./constants.js";

/**
 * A flags word decoded to names. Its own type so that messages print it bare (MS_BIND|MS_REC)
 * while strings such as paths are quoted; in a trace (JSON) it is the plain string.
 */
export class FlagWord {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

/** Turns a flags word into "NAME_A|NAME_B" using one of the tables in constants.ts; leftover bits as hex. */
export function decodeFlags(value: number, table: Readonly<Record<string, number>>): string {
  if (value === 0) return "0";
  const parts: string[] = [];
  let rest = value >>> 0;
  for (const [name, bit] of Object.entries(table)) {
    if (bit !== 0 && (rest & bit) === bit) {
      parts.push(name);
      rest &= ~bit >>> 0;
    }
  }
  if (rest !== 0) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join("|");
}

export const cloneFlags = (value: number): string => decodeFlags(value, CLONE);
export const mountFlags = (value: number): string => decodeFlags(value, MS);

/** The same names, typed for messages and traces (see FlagWord). */
export const shownClone = (value: number) => new FlagWord(cloneFlags(value));
export const shownMount = (value: number) => new FlagWord(mountFlags(value));
export const shownUmount = (value: number) => new FlagWord(decodeFlags(value, MNT));

const FCNTL_COMMANDS: Record<number, string> = { [F_GETFD]: "F_GETFD", [F_SETFD]: "F_SETFD", [F_GETFL]: "F_GETFL", [F_SETFL]: "F_SETFL" };

export function shownFcntl(cmd: number): FlagWord {
  return new FlagWord(FCNTL_COMMANDS[cmd] ?? String(cmd));
}

export function shownPrctl(value: number): FlagWord {
  return new FlagWord(Object.entries(PR).find(([, v]) => v === value)?.[0] ?? String(value));
}

export function shownSignal(value: number): FlagWord {
  return new FlagWord(Object.entries(constants.signals).find(([, v]) => v === value)?.[0] ?? String(value));
}
