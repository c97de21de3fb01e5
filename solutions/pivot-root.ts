// Bonus step: pivot_root. Instead of chroot, swap the root mount itself, then detach the old one,
// so that nothing of the host's filesystem stays reachable from the container.
import { mkdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { chdir, mount, MNT_DETACH, MS_BIND, MS_REC, pivotRoot as pivotRootCall, umount2 } from "#native";

export function pivotRoot(rootfs: string): void {
  // pivot_root needs the new root to be a mount point of its own: bind-mount it onto itself.
  mount(rootfs, rootfs, null, MS_BIND | MS_REC);
  const putOld = join(rootfs, ".old-root");
  mkdirSync(putOld, { recursive: true }); // no error when it is there already
  pivotRootCall(rootfs, putOld);
  chdir("/");
  // Detach the old root: from now on nothing of the host's filesystem is reachable, even with chroot tricks.
  umount2("/.old-root", MNT_DETACH);
  rmdirSync("/.old-root");
}
