// Step 2: PID and UTS namespaces — docs/02-namespaces.md
//
// Node's spawn cannot ask the kernel for new namespaces. You will move this process into new
// namespaces just long enough to spawn the init process, which is born inside them.
import type { NetworkMode } from "#contract";
import { todo } from "#given";

/**
 * The CLONE_NEW* flags for a new container: PID, UTS, mount and IPC namespaces, and a network
 * namespace unless `network` is "host". (Task 1 in docs/02-namespaces.md)
 */
export function namespaceFlags(network: NetworkMode): number {
  return todo("namespaceFlags");
}

/**
 * Call `spawn()` so that the process it starts is born in new namespaces (`flags`), while this
 * process ends up back in its own namespaces, wherever it was. Return what `spawn()` returned. (Task 2)
 */
export function spawnInNamespaces<T>(flags: number, spawn: () => T): T {
  return todo("spawnInNamespaces");
}

/** In the init process: set the container's hostname. (Task 3) */
export function setHostname(name: string): void {
  todo("setHostname");
}
