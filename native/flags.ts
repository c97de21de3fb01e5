import { constants } from "node:os";
import { AT, AT_FDCWD, CAP, CLONE, F_GETFD, F_GETFL, F_SETFD, F_SETFL, MNT, MOUNT_ATTR, MS, O, PR, PR_CAPBSET_DROP, PR_CAPBSET_READ, PR_SET_PDEATHSIG, RESOLVE, SECCOMP_FILTER_FLAG, W } from "./constants.js";

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
export const shownOpen = (value: number) => new FlagWord(decodeFlags(value, O));
export const shownAt = (value: number) => new FlagWord(decodeFlags(value, AT));
export const shownResolve = (value: number) => new FlagWord(decodeFlags(value, RESOLVE));
export const shownMountAttr = (value: number) => new FlagWord(decodeFlags(value, MOUNT_ATTR));
export const shownWait = (value: number) => new FlagWord(decodeFlags(value, W));
export const shownSeccompFlags = (value: number) => new FlagWord(decodeFlags(value, SECCOMP_FILTER_FLAG));

/** A directory fd as the *at(2) calls take it: AT_FDCWD by name. */
export const shownDirfd = (fd: number): number | FlagWord => (fd === AT_FDCWD ? new FlagWord("AT_FDCWD") : fd);

/** A file mode in octal, as people write it: "0755". */
export const shownMode = (mode: number): string => `0${mode.toString(8)}`;

const FCNTL_COMMANDS: Record<number, string> = { [F_GETFD]: "F_GETFD", [F_SETFD]: "F_SETFD", [F_GETFL]: "F_GETFL", [F_SETFL]: "F_SETFL" };

export function shownFcntl(cmd: number): FlagWord {
  return new FlagWord(FCNTL_COMMANDS[cmd] ?? String(cmd));
}

export function shownPrctl(value: number): FlagWord {
  return new FlagWord(nameOf(PR, value));
}

/** prctl's second argument, decoded for the options that take a signal or a capability. */
export function shownPrctlArg(option: number, arg: number): number | FlagWord {
  if (option === PR_SET_PDEATHSIG) return shownSignal(arg);
  if (option === PR_CAPBSET_DROP || option === PR_CAPBSET_READ) return new FlagWord(nameOf(CAP, arg));
  return arg;
}

/** A capability set (a bigint, one bit per capability) as names: CAP_CHOWN|CAP_KILL. */
export function shownCapabilities(mask: bigint): FlagWord {
  const names = Object.entries(CAP)
    .filter(([, cap]) => mask & (1n << BigInt(cap)))
    .map(([name]) => name);
  const unknown = mask >> BigInt(Object.keys(CAP).length);
  if (unknown) names.push(`0x${(unknown << BigInt(Object.keys(CAP).length)).toString(16)}`);
  return new FlagWord(names.join("|") || "0");
}

function nameOf(table: Readonly<Record<string, number>>, value: number): string {
  return Object.entries(table).find(([, v]) => v === value)?.[0] ?? String(value);
}

export function shownSignal(value: number): FlagWord {
  return new FlagWord(nameOf(constants.signals, value));
}
