import { AT, AT_FDCWD, MOVE_MOUNT, MOVE_MOUNT_F_EMPTY_PATH, MOVE_MOUNT_T_EMPTY_PATH, OPEN_TREE } from "./constants.js";
import { decodeFlags, FlagWord, shownDirfd } from "./flags.js";
import { invoke } from "./invoke.js";
import { SYS } from "./syscall-numbers.js";

/**
 * open_tree(2), Linux 5.2: an fd for the mount at `path`; with OPEN_TREE_CLONE (and AT_RECURSIVE
 * for the mounts below it) a detached copy that belongs to no mount namespace until moveMount
 * attaches it. An idmapped mount is made that way: mountSetattr on the detached copy, then attach.
 */
export function openTree(path: string, flags: number): number {
  return invoke("open_tree", () => [path, new FlagWord(decodeFlags(flags, { ...OPEN_TREE, AT_RECURSIVE: AT.AT_RECURSIVE }))], (c) =>
    c.syscall(SYS.open_tree, "int", AT_FDCWD, "const char *", path, "unsigned int", flags),
  );
}

/**
 * move_mount(2), Linux 5.2: attaches the mount `from` (an fd from openTree) at `to`, a path or the
 * fd of a directory (an fd from another process is used as it is: a /proc/self/fd path would name
 * the link itself, which move_mount does not follow). The target must be in the caller's own
 * mount namespace.
 */
export function moveMount(from: number, to: string | number): void {
  const [toDirfd, toPath, flags] = typeof to === "number" ? [to, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH] : [AT_FDCWD, to, MOVE_MOUNT_F_EMPTY_PATH];
  invoke("move_mount", () => [from, shownDirfd(toDirfd), toPath, new FlagWord(decodeFlags(flags, MOVE_MOUNT))], (c) =>
    c.syscall(SYS.move_mount, "int", from, "const char *", "", "int", toDirfd, "const char *", toPath, "unsigned int", flags),
  );
}
