// Bonus step: pivot_root. Instead of chroot, swap the root mount itself, then detach the old one,
// so that nothing of the host's filesystem stays reachable from the container.
import { chdir, mount, MNT_DETACH, MS_BIND, MS_REC, pivotRoot as pivotRootCall, umount2 } from "#native";

export function pivotRoot(rootfs: string): void {
  // pivot_root needs the new root to be a mount point of its own: bind-mount it onto itself.
  mount(rootfs, rootfs, null, MS_BIND | MS_REC);
  // pivot_root(".", "."): the old root is stacked on the new one, with no directory made for it in
  // the image (which other containers share, and which may hold a symlink where it would go).
  chdir(rootfs);
  pivotRootCall(".", ".");
  // "." is now the old root, on top: detach it and everything below it, and the new root shows.
  umount2(".", MNT_DETACH);
  chdir("/");
}
