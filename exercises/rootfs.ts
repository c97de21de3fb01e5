// Step 3: the mount namespace and the root directory — docs/03-rootfs.md
// The last two functions are bonus steps — docs/bonus-pivot-root.md and docs/bonus-overlayfs.md
//
// All of these run in the init process, in its own mount namespace, before the command starts.
import { todo } from "./todo.js";

/** Stop mounts from propagating between the container and the host, for every mount. (Task 1) */
export function makeMountsPrivate(): void {
  todo(3, "makeMountsPrivate", "docs/03-rootfs.md, Task 1");
}

/** Mount a proc filesystem on `rootfs`/proc. (Task 2) */
export function mountProc(rootfs: string): void {
  todo(3, "mountProc", "docs/03-rootfs.md, Task 2");
}

/**
 * Give `rootfs` a minimal /dev: a tmpfs with null, zero, full, random, urandom and tty,
 * a devpts at /dev/pts (with /dev/ptmx), and a tmpfs at /dev/shm. (Task 3)
 */
export function mountDev(rootfs: string): void {
  todo(3, "mountDev", "docs/03-rootfs.md, Task 3");
}

/** Mount a read-only sysfs on `rootfs`/sys. (Task 4) */
export function mountSys(rootfs: string): void {
  todo(3, "mountSys", "docs/03-rootfs.md, Task 4");
}

/** Make `rootfs` this process's root directory, with chroot, and start at its "/". (Task 5) */
export function changeRoot(rootfs: string): void {
  todo(3, "changeRoot", "docs/03-rootfs.md, Task 5");
}

/** Bonus: make `rootfs` the root with pivot_root, and detach the old root entirely. */
export function pivotRoot(rootfs: string): void {
  todo(7, "pivotRoot", "docs/bonus-pivot-root.md");
}

/** Bonus: mount an overlay of `layers` (lowest first) at `target`, writes going to `upper`. */
export function mountOverlay(layers: string[], upper: string, work: string, target: string): void {
  todo(7, "mountOverlay", "docs/bonus-overlayfs.md");
}
