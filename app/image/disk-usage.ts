import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The bytes of the regular files at or under `path` (0 for a path that is gone). */
export function bytesOf(path: string): number {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return 0;
  }
  if (stats.isFile()) return stats.size;
  if (!stats.isDirectory()) return 0;
  return readdirSync(path).reduce((total, name) => total + bytesOf(join(path, name)), 0);
}
