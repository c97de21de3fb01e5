import { constants } from "node:os";

// Node already knows the platform's errno names; invert its table once.
const names = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  if (!names.has(value)) names.set(value, name);
}

/** "EPERM" for 1, and so on; "E<number>" for a number the table lacks. */
export function errnoName(errno: number): string {
  return names.get(errno) ?? `E${errno}`;
}
