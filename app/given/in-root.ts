import { join, relative } from "node:path";
import { close, fdPath, openInRoot, SyscallError } from "#native";
import { resolveInRoot } from "./resolve-in-root.js";

export interface InRootOptions {
  /** Create what is missing: the directories on the way, and the last one as a file or a directory. */
  create?: "file" | "directory";
  /** Refuse unless it is a file, or a directory (by default, what `create` would make). */
  expect?: "file" | "directory";
  /**
   * "refuse": the last component must not be a symlink at all, even one that stays inside the
   * root (for /proc, /sys and /dev, as runc requires). By default a symlink is followed, inside.
   */
  lastLink?: "follow" | "refuse";
}

/**
 * Calls `use` with a path naming `path` inside `root` (the container's root filesystem, seen from
 * the host), for a mount target or any other call that takes a path. The image is an attacker's:
 * its symlinks are followed as if `root` were "/" (an absolute link starts again at `root`, ".."
 * stops there), so they cannot lead out to the host; and the path handed to `use` is an open fd
 * (/proc/self/fd/N), so nothing swapped in meanwhile can redirect it (runc's approach).
 *
 *   inRoot(rootfs, "/proc", { create: "directory" }, (target) => mount("proc", target, "proc", 0));
 */
export function inRoot<T>(root: string, path: string, options: InRootOptions, use: (target: string) => T): T {
  const fd = openThere(root, path, options) ?? openResolved(root, path, options);
  try {
    return use(fdPath(fd));
  } finally {
    close(fd);
  }
}

/**
 * The usual case in one call, on a container's start path: `path` is there already, of the type
 * expected, and its last component is no symlink. The kernel resolves it inside root, as
 * openResolved would; anything else (missing, a symlink at the end, no type to expect) is
 * left to openResolved, which creates, follows or refuses.
 */
function openThere(root: string, path: string, options: InRootOptions): number | undefined {
  const expect = options.expect ?? options.create;
  if (!expect) return undefined;
  try {
    return openInRoot(root, path, { expect });
  } catch (error) {
    if (error instanceof SyscallError) return undefined;
    throw error;
  }
}

function openResolved(root: string, path: string, options: InRootOptions): number {
  // Resolved first, as a path inside root with no symlink left in it, so that what is missing
  // can be created even behind a link to a place the image does not have yet (Docker does too);
  // openInRoot then resolves it again, confined by the kernel, in case it changed in between.
  const parts = path.split("/");
  const inside =
    options.lastLink === "refuse"
      ? join(relative(root, resolveInRoot(root, parts.slice(0, -1))), parts.at(-1) ?? "")
      : relative(root, resolveInRoot(root, parts));
  return openInRoot(root, inside, { mkdirs: options.create !== undefined, create: options.create, expect: options.expect ?? options.create });
}
