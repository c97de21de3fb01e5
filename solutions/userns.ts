// Bonus step: user namespaces. Root in the container is an ordinary range of ids on the host: the
// runtime writes the namespace's maps, shows its root the image's files as its own through an
// idmapped mount (nothing copied), and the other namespaces are made from inside it, so it owns them.
import { writeFileSync } from "node:fs";
import { AT_RECURSIVE, MOUNT_ATTR_IDMAP, mountSetattr, OPEN_TREE_CLONE, openTree, unshare } from "#native";
import type { IdRange } from "#contract";

export function writeIdMaps(pid: number, range: IdRange): void {
  // One line each: "first id inside, first id on the host, how many". Each file takes one write.
  // We are root on the host, so gid_map needs no "deny" in setgroups first (an unprivileged writer's would).
  const line = `0 ${range.start} ${range.size}\n`;
  writeFileSync(`/proc/${pid}/uid_map`, line);
  writeFileSync(`/proc/${pid}/gid_map`, line);
}

export function idmapRootfs(rootfs: string, usernsFd: number): number {
  // A detached copy of the mount tree (and of what is mounted below it): changing its idmapping
  // changes nothing the host sees. Its owners are then read through the namespace's map: the
  // image's root (0 on disk) shows as the container's root.
  const tree = openTree(rootfs, OPEN_TREE_CLONE | AT_RECURSIVE);
  mountSetattr(tree, { set: MOUNT_ATTR_IDMAP, usernsFd }, AT_RECURSIVE);
  return tree;
}

export function unshareOwnedNamespaces(flags: number): void {
  // A namespace belongs to the user namespace of the process that makes it. Made from here, root
  // in the container may mount /proc, set the hostname and configure its network; made by the
  // runtime, they would be the host's user namespace's, where it is nobody.
  unshare(flags);
}
