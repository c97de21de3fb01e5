// Bonus step: exec — docs/bonus-exec.md
//
// `container exec ID CMD` runs a second command in a running container. The runtime finds the
// container's init process (`pid`, as the host sees it) and calls these two, in this order.
import { todo } from "#given";

/**
 * On the host: call `spawn()` so that the process it starts is born in the UTS, IPC, network and
 * PID namespaces of process `pid` (not its mount namespace: see the page), while this process ends
 * up back in its own. Return what `spawn()` returned. (Task 1)
 */
export function spawnInContainer<T>(pid: number, spawn: () => T): T {
  return todo("spawnInContainer");
}

/**
 * In the new process: join the mount namespace of process `pid`, make its root directory ours,
 * and move to `cwd` inside that root, never following a link out of it. (Task 2)
 */
export function enterContainerRoot(pid: number, cwd: string): void {
  todo("enterContainerRoot");
}
