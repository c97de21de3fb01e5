import { lstatSync, readlinkSync } from "node:fs";
import { join } from "node:path";

const MAX_SYMLINKS = 255;

/**
 * Resolves `components` inside `root` as the kernel would if `root` were `/`: symlinks are
 * followed, but absolute targets restart at `root` and `..` never climbs above it. The result is
 * therefore always inside `root`, whatever the links in the tree say (the approach of
 * github.com/cyphar/filepath-securejoin). Components that do not exist are appended as they are;
 * the returned path contains no symlinks in its existing part.
 */
export function resolveInRoot(root: string, components: readonly string[]): string {
  const resolved: string[] = [];
  const pending = [...components].reverse(); // a stack: the next component is at the end
  let links = 0;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const hostPath = join(root, ...resolved, part);
    let isLink = false;
    try {
      isLink = lstatSync(hostPath).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (!isLink) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new Error(`too many levels of symbolic links resolving ${components.join("/")}`);
    const target = readlinkSync(hostPath);
    if (target.startsWith("/")) resolved.length = 0;
    pending.push(...target.split("/").reverse());
  }
  return join(root, ...resolved);
}
