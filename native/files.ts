import { AT_EMPTY_PATH, O_CREAT, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from "./constants.js";
import { shownAt, shownDirfd, shownMode, shownOpen, shownResolve } from "./flags.js";
import { invoke } from "./invoke.js";
import { SYS } from "./syscall-numbers.js";

/**
 * Calls on file descriptors and paths relative to them (the *at(2) family). Acting on an fd
 * rather than a path is what keeps a runtime safe in a directory an attacker can change: a path
 * is looked up again at every use, an fd names the same file for as long as it is open.
 */

/** openat(2): opens `path` relative to the directory `dirfd` (AT_FDCWD: the working directory). Pass O_CLOEXEC. */
export function openat(dirfd: number, path: string, flags: number, mode = 0o644): number {
  const shown = () => [shownDirfd(dirfd), path, shownOpen(flags), ...(flags & O_CREAT ? [shownMode(mode)] : [])];
  return invoke("openat", shown, (c) => c.openat(dirfd, path, flags, "uint32_t", mode));
}

/** openat2(2)'s struct open_how. `resolve` restricts the walk (RESOLVE_IN_ROOT: dirfd is "/"). */
export interface OpenHow {
  flags: number;
  mode?: number;
  resolve: number;
}

/** openat2(2), Linux 5.6: openat with limits on how the path is resolved. No glibc wrapper. */
export function openat2(dirfd: number, path: string, how: OpenHow): number {
  const buf = Buffer.alloc(24);
  buf.writeBigUInt64LE(BigInt(how.flags), 0);
  buf.writeBigUInt64LE(BigInt(how.mode ?? 0), 8);
  buf.writeBigUInt64LE(BigInt(how.resolve), 16);
  const shown = () => [shownDirfd(dirfd), path, shownOpen(how.flags), shownResolve(how.resolve)];
  return invoke("openat2", shown, (c) => c.syscall(SYS.openat2, "int", dirfd, "const char *", path, "void *", buf, "size_t", buf.length));
}

export function close(fd: number): void {
  invoke("close", () => [fd], (c) => c.close(fd));
}

/** mkdirat(2): creates a directory in the directory `dirfd`, never following a symlink at `path`. */
export function mkdirat(dirfd: number, path: string, mode = 0o755): void {
  invoke("mkdirat", () => [shownDirfd(dirfd), path, shownMode(mode)], (c) => c.mkdirat(dirfd, path, mode));
}

/** readlinkat(2): a symlink's target. With path "" it reads the link an O_PATH|O_NOFOLLOW fd refers to. */
export function readlinkat(dirfd: number, path: string): string {
  const buf = Buffer.alloc(4096);
  const length = invoke("readlinkat", () => [shownDirfd(dirfd), path], (c) => c.readlinkat(dirfd, path, buf, buf.length));
  return buf.subarray(0, length).toString();
}

export type FileType = "file" | "directory" | "symlink" | "char-device" | "block-device" | "fifo" | "socket";

export interface FileStat {
  type: FileType;
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  ino: bigint;
  /** The device the file is on, "major:minor" as in /proc/self/mountinfo. */
  dev: string;
}

const TYPES: Record<number, FileType> = {
  [S_IFREG]: "file",
  [S_IFDIR]: "directory",
  [S_IFLNK]: "symlink",
  [S_IFCHR]: "char-device",
  [S_IFBLK]: "block-device",
  [S_IFIFO]: "fifo",
  [S_IFSOCK]: "socket",
};

// statx(2)'s mask for type, mode, uid, gid, inode and size; the fields' offsets in struct statx.
const STATX_WANTED = 0x1 | 0x2 | 0x8 | 0x10 | 0x100 | 0x200;

/**
 * What an fd refers to, O_PATH fds included. Through statx(2): its struct is the same on every
 * architecture, where struct stat is not.
 */
export function fstat(fd: number): FileStat {
  const buf = Buffer.alloc(256);
  invoke("statx", () => [fd, "", shownAt(AT_EMPTY_PATH)], (c) => c.statx(fd, "", AT_EMPTY_PATH, STATX_WANTED, buf));
  const mode = buf.readUInt16LE(28);
  return {
    type: TYPES[mode & S_IFMT]!, // every file is of one of these types
    mode: mode & 0o7777,
    uid: buf.readUInt32LE(20),
    gid: buf.readUInt32LE(24),
    size: Number(buf.readBigUInt64LE(40)),
    ino: buf.readBigUInt64LE(32),
    dev: `${buf.readUInt32LE(136)}:${buf.readUInt32LE(140)}`,
  };
}

/**
 * The path through which the kernel reaches exactly the file an fd refers to. Given to mount(2)
 * as a target, the mount lands on that file even if its path has been swapped for a symlink
 * since it was opened. Needs /proc mounted (the host's, before pivot_root).
 */
export function fdPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}
