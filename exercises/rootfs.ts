// Step 3: the mount namespace and the root directory — docs/03-rootfs.md
//
// All of these run in the init process, in its own mount namespace, before the command starts.
// The image is somebody else's files: reach paths inside `rootfs` with `inRoot` from "#given".
import { todo } from "#given";

/** Stop mounts from propagating between the container and the host, for every mount. (Task 1) */
export function makeMountsPrivate(): void {
  todo("makeMountsPrivate");
}

/** Mount a proc filesystem on `rootfs`/proc. (Task 2) */
export function mountProc(rootfs: string): void {
  todo("mountProc");
}

/**
 * Give `rootfs` a minimal /dev: a tmpfs with null, zero, full, random, urandom and tty,
 * a devpts at /dev/pts (with /dev/ptmx), and a tmpfs at /dev/shm. (Task 3)
 */
export function mountDev(rootfs: string): void {
  todo("mountDev");
}

/** Mount a read-only sysfs on `rootfs`/sys. (Task 4) */
export function mountSys(rootfs: string): void {
  todo("mountSys");
}

/** Make `rootfs` this process's root directory, with chroot, and start at its "/". (Task 5) */
export function changeRoot(rootfs: string): void {
  todo("changeRoot");
}
