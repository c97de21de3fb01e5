import koffi from "koffi";

/**
 * The two markers overlayfs understands in an upper or lower directory, made through libc because
 * Node has neither mknod(2) nor setxattr(2): a 0/0 character device hides a name from lower
 * layers, and the xattr trusted.overlay.opaque=y hides a whole lower directory's contents.
 */
interface Libc {
  mknod: (path: string, mode: number, dev: bigint) => number;
  lsetxattr: (path: string, name: string, value: Buffer, size: number, flags: number) => number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (!libc) {
    const lib = koffi.load("libc.so.6");
    libc = {
      mknod: lib.func("int mknod(const char *path, uint32_t mode, uint64_t dev)") as Libc["mknod"],
      lsetxattr: lib.func("int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)") as Libc["lsetxattr"],
    };
  }
  return libc;
}

const S_IFCHR = 0o020000;

function check(result: number, what: string): void {
  if (result !== 0) {
    const errno = koffi.errno();
    throw new Error(`${what} failed (errno ${errno})`);
  }
}

export function makeWhiteout(path: string): void {
  check(load().mknod(path, S_IFCHR | 0o000, 0n), `mknod ${path}`);
}

export function markOpaque(dir: string): void {
  const value = Buffer.from("y");
  check(load().lsetxattr(dir, "trusted.overlay.opaque", value, value.length, 0), `setxattr trusted.overlay.opaque on ${dir}`);
}
