import { chmodSync, mkdirSync, statSync } from "node:fs";

/**
 * The store's directories hold root filesystems, setuid-root programs and all: a host user who
 * could reach one by its path could run it and be root. So they are root's alone, 0700. Nothing
 * unprivileged needs to pass through them: the runtime reaches a rootfs as root, and overlayfs
 * checks its lower directories with the credentials of whoever mounted it (root). 0711 would not
 * do: an image's directory is named by its digest, which anyone can know.
 */
const PRIVATE = 0o700;

/** mkdir -p where every directory it creates is 0700 from the start (a umask only narrows it). */
export function mkdirPrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE });
}

/**
 * Narrows an existing directory that others may enter (made by a version before this one) to
 * 0700. An absent directory is left to be made private when it is made; one we may not change
 * (we are not root) is left as it is, for the command to fail on with its own message.
 * Only for the store's own directories: a store's root that exists already may be one that others
 * use too (`--root /tmp`), and is left alone; what is inside it is closed anyway.
 */
export function keepPrivate(dir: string): void {
  try {
    if (statSync(dir).mode & 0o077) chmodSync(dir, PRIVATE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "EACCES" && code !== "EPERM") throw error;
  }
}
