import { constants } from "node:os";
import { AT_FDCWD, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_WRONLY, RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS } from "./constants.js";
import { SyscallError } from "./errors.js";
import { close, fdPath, fstat, mkdirat, openat, openat2, readlinkat, type FileType } from "./files.js";
import { refuse } from "./invoke.js";

/**
 * Opening a path inside a container's root filesystem from the host, without letting the image
 * redirect it outside. An image is written by an attacker: `/data -> /etc` in it, followed by a
 * host path such as `${rootfs}/data`, reaches the host's /etc. Here every component is resolved
 * as if `root` were "/" (absolute symlinks start again at root, ".." stops at root), and the
 * result is an fd: using the fd, not the path, means a path swapped after the check cannot
 * redirect the use (runc's securejoin and "act on fds" approach).
 */
export interface OpenInRootOptions {
  /**
   * Flags of the returned fd; O_CLOEXEC is always added. The default, O_PATH, gives an fd for
   * fstat, the *at calls and fdPath() (a mount target). Other flags reopen the file through
   * /proc/self/fd, so /proc must be mounted. Not O_CREAT: use `create`.
   */
  flags?: number;
  /** Create missing directories on the way (mkdirat relative to the parent's fd, mode 0755). */
  mkdirs?: boolean;
  /** Create the final component, if it is missing, as an empty file or a directory. */
  create?: "file" | "directory";
  /** Mode of what `create` makes (default 0644 for a file, 0755 for a directory; umask applies). */
  mode?: number;
  /**
   * Refuse unless the final component is of this type. A symlink there is refused, not followed:
   * for targets such as /proc, /sys and /dev, which runc also requires to be plain directories.
   */
  expect?: "file" | "directory";
  /**
   * How to resolve. By default openat2(2) with RESOLVE_IN_ROOT (Linux 5.6), falling back to a walk
   * of the components with openat(O_PATH|O_NOFOLLOW) where the kernel has no openat2 (ENOSYS).
   */
  via?: "openat2" | "walk";
}

// The kernel's own limit on symlinks in one lookup (MAXSYMLINKS).
const MAX_SYMLINKS = 40;
// Magic links (/proc/PID/root, /proc/PID/fd/N) jump anywhere: never follow one inside a root.
const IN_ROOT = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
const { EINVAL, EISDIR, ELOOP, ENOTDIR } = constants.errno;

let openat2Missing = false;

/** Opens `path` (absolute or relative, either way from `root`) inside `root`; returns the fd. Close it. */
export function openInRoot(root: string, path: string, options: OpenInRootOptions = {}): number {
  const shown = [root, path];
  const flags = options.flags ?? O_PATH;
  if (flags & O_CREAT) refuse("openInRoot", shown, EINVAL, 'O_CREAT is not an openInRoot flag: pass create: "file"');
  const rootFd = openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  let fd: number;
  try {
    fd = resolveCreating(rootFd, components(path), options, shown);
  } finally {
    close(rootFd);
  }
  try {
    if (options.expect) expectType(fd, options.expect, shown);
    if ((flags & ~O_CLOEXEC) === O_PATH) return fd;
    // Reopening through the fd's magic link opens exactly the file resolved, not a path again.
    const reopened = openat(AT_FDCWD, fdPath(fd), flags | O_CLOEXEC);
    close(fd);
    return reopened;
  } catch (error) {
    close(fd);
    throw error;
  }
}

type Lookup = (parts: string[], nofollowFinal: boolean) => number;

/** Resolves to an O_PATH fd, first creating what `options` asks for and is missing. */
function resolveCreating(rootFd: number, parts: string[], options: OpenInRootOptions, shown: unknown[]): number {
  const lookup: Lookup = (sub, nofollowFinal) => lookupInRoot(rootFd, sub, nofollowFinal, options.via, shown);
  const nofollowFinal = options.expect !== undefined;
  try {
    return lookup(parts, nofollowFinal);
  } catch (error) {
    if (!isErrno(error, "ENOENT") || !(options.mkdirs || options.create) || parts.length === 0) throw error;
  }
  const parents = parts.slice(0, -1);
  const parent = options.mkdirs ? makeDirs(parents, lookup) : lookup(parents, false);
  try {
    if (options.create) makeFinal(parent, parts.at(-1)!, options.create, options.mode);
  } finally {
    close(parent);
  }
  return lookup(parts, nofollowFinal);
}

/** Opens each directory of `parts` in turn, creating a missing one in the fd of its parent. */
function makeDirs(parts: string[], lookup: Lookup): number {
  let fd = lookup([], false);
  try {
    for (let i = 0; i < parts.length; i++) {
      const prefix = parts.slice(0, i + 1);
      let next: number;
      try {
        next = lookup(prefix, false);
      } catch (error) {
        if (!isErrno(error, "ENOENT")) throw error;
        ignoreExisting(() => mkdirat(fd, parts[i]!, 0o755));
        next = lookup(prefix, false);
      }
      close(fd);
      fd = next;
    }
    return fd;
  } catch (error) {
    close(fd);
    throw error;
  }
}

function makeFinal(parent: number, name: string, kind: "file" | "directory", mode: number | undefined): void {
  if (kind === "directory") return ignoreExisting(() => mkdirat(parent, name, mode ?? 0o755));
  // O_EXCL fails on anything already there, a dangling symlink included: never created through.
  ignoreExisting(() => close(openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode ?? 0o644)));
}

function lookupInRoot(rootFd: number, parts: string[], nofollowFinal: boolean, via: OpenInRootOptions["via"], shown: unknown[]): number {
  if (via === "walk" || (via === undefined && openat2Missing)) return walk(rootFd, parts, nofollowFinal, shown);
  try {
    return withOpenat2(rootFd, parts, nofollowFinal);
  } catch (error) {
    if (via !== undefined || !isErrno(error, "ENOSYS")) throw error;
    openat2Missing = true;
    return walk(rootFd, parts, nofollowFinal, shown);
  }
}

function withOpenat2(rootFd: number, parts: string[], nofollowFinal: boolean): number {
  const how = { flags: O_PATH | O_CLOEXEC | (nofollowFinal ? O_NOFOLLOW : 0), resolve: IN_ROOT };
  // EAGAIN: a rename elsewhere raced a ".." in this lookup; the kernel asks for a retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return openat2(rootFd, parts.join("/") || ".", how);
    } catch (error) {
      if (!isErrno(error, "EAGAIN") || attempt === 16) throw error;
    }
  }
}

/**
 * The fallback for kernels without openat2: one component at a time, each opened O_NOFOLLOW
 * relative to its directory's fd. A symlink's target is read and walked from root (absolute) or
 * from where it is (relative); ".." returns to the fd of the directory before, and never above root.
 */
function walk(rootFd: number, parts: string[], nofollowFinal: boolean, shown: unknown[]): number {
  const stack = [{ fd: openat(rootFd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), type: "directory" as FileType }];
  const pending = [...parts].reverse();
  let links = 0;
  try {
    while (pending.length > 0) {
      const name = pending.pop()!;
      const top = stack.at(-1)!;
      if (top.type !== "directory") refuse("openInRoot", shown, ENOTDIR, "a component on the way is not a directory");
      if (name === "..") {
        if (stack.length > 1) close(stack.pop()!.fd);
        continue;
      }
      const fd = openat(top.fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      const { type } = fstat(fd);
      if (type !== "symlink" || (pending.length === 0 && nofollowFinal)) {
        stack.push({ fd, type });
        continue;
      }
      let target: string;
      try {
        target = readlinkat(fd, "");
      } finally {
        close(fd);
      }
      if (++links > MAX_SYMLINKS) refuse("openInRoot", shown, ELOOP, "too many symbolic links on the way (a loop?)");
      if (target.startsWith("/")) while (stack.length > 1) close(stack.pop()!.fd);
      pending.push(...components(target).reverse());
    }
    return stack.pop()!.fd;
  } finally {
    for (const { fd } of stack) close(fd);
  }
}

function expectType(fd: number, expected: "file" | "directory", shown: unknown[]): void {
  const { type } = fstat(fd);
  if (type === expected) return;
  const errno = expected === "directory" ? ENOTDIR : type === "directory" ? EISDIR : EINVAL;
  refuse("openInRoot", shown, errno, `${DESCRIPTIONS[type]}, where ${DESCRIPTIONS[expected]} must be`);
}

const DESCRIPTIONS: Record<FileType, string> = {
  file: "a regular file",
  directory: "a directory",
  symlink: "a symbolic link",
  "char-device": "a character device",
  "block-device": "a block device",
  fifo: "a FIFO",
  socket: "a socket",
};

function components(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

function ignoreExisting(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!isErrno(error, "EEXIST")) throw error;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof SyscallError && error.code === code;
}
