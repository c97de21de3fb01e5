import { constants } from "node:os";
import { CLONE, MNT, MS, PR } from "./constants.js";

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
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join("|");
}

export const cloneFlags = (value: number): string => decodeFlags(value, CLONE);
export const mountFlags = (value: number): string => decodeFlags(value, MS);
export const umountFlags = (value: number): string => decodeFlags(value, MNT);

export function prctlOption(value: number): string {
  return Object.entries(PR).find(([, v]) => v === value)?.[0] ?? String(value);
}

export function signalName(value: number): string {
  return Object.entries(constants.signals).find(([, v]) => v === value)?.[0] ?? String(value);
}
