// Bonus step: user namespaces — docs/bonus-userns.md
//
// Root in the container becomes an ordinary range of ids on the host. The first two functions
// run in `container run`, on the host; the last in the container's first process, inside the
// new user namespace.
import type { IdRange } from "#contract";
import { todo } from "#given";

/** Map ids 0 to range.size - 1 of the user namespace of process `pid` to the range on the host, users and groups. (Task 1) */
export function writeIdMaps(pid: number, range: IdRange): void {
  todo("writeIdMaps");
}

/** A detached, idmapped copy of the mount tree at `rootfs`, through the user namespace `usernsFd`: return its fd. (Task 2) */
export function idmapRootfs(rootfs: string, usernsFd: number): number {
  return todo("idmapRootfs");
}

/** From inside the user namespace, make the container's other namespaces: those in `flags`. (Task 3) */
export function unshareOwnedNamespaces(flags: number): void {
  todo("unshareOwnedNamespaces");
}
