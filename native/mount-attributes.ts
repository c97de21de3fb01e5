import { readFileSync, realpathSync } from "node:fs";
import { AT_EMPTY_PATH, AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY, MS_BIND, MS_NOATIME, MS_NODEV, MS_NODIRATIME, MS_NOEXEC, MS_NOSUID, MS_NOSYMFOLLOW, MS_RDONLY, MS_RELATIME, MS_REMOUNT, MS_STRICTATIME } from "./constants.js";
import { SyscallError } from "./errors.js";
import { shownAt, shownMount, shownMountAttr } from "./flags.js";
import { invoke } from "./invoke.js";
import { SYS } from "./syscall-numbers.js";
import { mount } from "./syscalls.js";

/** mount_setattr(2)'s struct mount_attr: MOUNT_ATTR_* bits to set and to clear, and a propagation (MS_PRIVATE...). */
export interface MountAttributes {
  set?: number;
  clear?: number;
  /** MS_PRIVATE, MS_SLAVE, MS_SHARED or MS_UNBINDABLE; 0 leaves it as it is. */
  propagation?: number;
  /** With MOUNT_ATTR_IDMAP: an fd of the user namespace whose ID mapping the mount takes. */
  usernsFd?: number;
}

/**
 * mount_setattr(2), Linux 5.12: changes the attributes of the mount at `target` (a path, or the fd
 * of a detached tree from openTree), and with
 * AT_RECURSIVE of every mount below it in one call. mount(2) can only remount one mount at a time,
 * so a read-only bind with submounts (a volume holding a tmpfs) would keep them writable.
 */
export function mountSetattr(target: string | number, attributes: MountAttributes, flags = 0): void {
  const { set = 0, clear = 0, propagation = 0, usernsFd = 0 } = attributes;
  // An fd (a detached tree from open_tree) is the mount itself: an empty path with AT_EMPTY_PATH.
  const [dirfd, path, atFlags] = typeof target === "number" ? [target, "", flags | AT_EMPTY_PATH] : [AT_FDCWD, target, flags];
  const attr = Buffer.alloc(32);
  attr.writeBigUInt64LE(BigInt(set), 0);
  attr.writeBigUInt64LE(BigInt(clear), 8);
  attr.writeBigUInt64LE(BigInt(propagation), 16);
  attr.writeBigUInt64LE(BigInt(usernsFd), 24);
  const shown = () => [target, shownAt(atFlags), shownMountAttr(set), shownMountAttr(clear), shownMount(propagation), ...(usernsFd ? [usernsFd] : [])];
  invoke("mount_setattr", shown, (c) =>
    c.syscall(SYS.mount_setattr, "int", dirfd, "const char *", path, "unsigned int", atFlags, "void *", attr, "size_t", attr.length),
  );
}

/**
 * Makes the mount at `target` and every mount below it read-only, in this mount namespace only.
 * With mount_setattr(AT_RECURSIVE) where the kernel has it; on older kernels (ENOSYS), or with
 * `via: "remount"`, by remounting each mount listed under `target` in /proc/self/mountinfo.
 * `target` must be a mount point (bind-mount a directory onto itself first).
 */
export function makeReadOnlyRecursive(target: string, options: { via?: "mount_setattr" | "remount" } = {}): void {
  if (options.via === "remount") return remountReadOnly(target);
  try {
    mountSetattr(target, { set: MOUNT_ATTR_RDONLY }, AT_RECURSIVE);
  } catch (error) {
    if (options.via || !(error instanceof SyscallError && error.code === "ENOSYS")) throw error;
    remountReadOnly(target);
  }
}

// Per-mount options as mountinfo shows them, and the mount(2) flag that keeps each one.
const KEPT: Record<string, number> = {
  nosuid: MS_NOSUID,
  nodev: MS_NODEV,
  noexec: MS_NOEXEC,
  noatime: MS_NOATIME,
  nodiratime: MS_NODIRATIME,
  relatime: MS_RELATIME,
  nosymfollow: MS_NOSYMFOLLOW,
};

/**
 * A bind remount sets the mount's flags to exactly those given: each mount's nosuid, nodev,
 * noexec and atime options are passed again, or the remount would drop them. A mount hidden
 * under another at the same place cannot be reached by path, and stays as it is.
 */
function remountReadOnly(target: string): void {
  const top = realpathSync(target);
  const prefix = top === "/" ? "/" : `${top}/`;
  const mounts = readMountinfo().filter(({ mountPoint }) => mountPoint === top || mountPoint.startsWith(prefix));
  // Not a mount point: remounting it anyway makes mount(2) refuse, as mount_setattr would.
  if (!mounts.some(({ mountPoint }) => mountPoint === top)) mounts.unshift({ mountPoint: top, options: [] });
  for (const { mountPoint, options } of mounts) {
    let flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
    for (const option of options) flags |= KEPT[option] ?? 0;
    if (!options.includes("noatime") && !options.includes("relatime")) flags |= MS_STRICTATIME;
    mount(null, mountPoint, null, flags);
  }
}

function readMountinfo(): { mountPoint: string; options: string[] }[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const fields = line.split(" ");
      return { mountPoint: unescapeOctal(fields[4]!), options: fields[5]!.split(",") };
    });
}

// mountinfo writes a space, tab, newline and backslash in a path as \040, \011, \012 and \134.
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, code: string) => String.fromCharCode(parseInt(code, 8)));
}
