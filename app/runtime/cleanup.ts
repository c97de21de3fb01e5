// Undoing what a container left on the host when its run could not: the run was killed
// (SIGKILL), crashed, or the implementation's own cleanup failed. Deliberately independent of
// the implementation under test, so a learner's bug never leaves the machine dirty for good.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { BridgeNetwork, Cgroup } from "./contract.js";
import { addressPool, parseOwner } from "./host-network.js";
import { sleepSync } from "./lock.js";
import { containersDir, isRunning, processStartTime, type ContainerState, type StateStore } from "./state.js";

/** Removes every trace of containers whose processes are all gone. Returns the ids removed. */
export function pruneContainers(states: StateStore, root: string): string[] {
  const removed: string[] = [];
  for (const state of states.list()) {
    if (isRunning(state)) continue;
    releaseHostResources(state, root);
    states.remove(state.id);
    removed.push(state.id);
  }
  releaseOrphanAddresses();
  return removed;
}

/**
 * Addresses on the bridge whose container has no state left and whose run has ended: the run died
 * between taking the address and saving it, or its store was deleted. Whichever store's prune
 * finds them: the bridge, and so its addresses, belong to all stores.
 */
function releaseOrphanAddresses(): void {
  const pool = addressPool();
  for (const [address, text] of pool.owners()) {
    const owner = parseOwner(text);
    if (owner && (existsSync(owner.container) || processStartTime(owner.pid) === owner.start)) continue;
    pool.release(address);
  }
}

/** What of a finished container is still on the host: cgroup directories and its veth. */
export function leftovers(state: ContainerState): string[] {
  const left: string[] = [];
  if (state.cgroup) left.push(...[...new Set(Object.values(state.cgroup.dirs))].filter((dir) => existsSync(dir)));
  if (state.bridge && existsSync(`/sys/class/net/${state.bridge.hostVeth}`)) left.push(`network interface ${state.bridge.hostVeth}`);
  return left;
}

/** Best effort, each part on its own: one failing must not keep the others from running. */
export function releaseHostResources(state: ContainerState, root: string): void {
  if (state.cgroup) removeCgroupDirs(state.cgroup);
  if (state.bridge) {
    const { hostVeth } = state.bridge;
    if (existsSync(`/sys/class/net/${hostVeth}`)) {
      try {
        execFileSync("ip", ["link", "del", hostVeth], { stdio: "ignore" });
      } catch {
        // gone meanwhile
      }
    }
    releaseAddress(root, state.bridge);
  }
}

/** Gives a container's address back, if a container of the store at `root` holds it. */
export function releaseAddress(root: string, bridge: BridgeNetwork): void {
  const address = bridge.address.split("/")[0] ?? bridge.address;
  const pool = addressPool();
  const owner = parseOwner(pool.owners().get(address));
  if (owner && dirname(owner.container) !== containersDir(resolve(root))) return;
  pool.release(address);
}

function removeCgroupDirs(cgroup: Cgroup): void {
  for (const dir of new Set(Object.values(cgroup.dirs))) {
    if (!existsSync(dir)) continue;
    for (let attempt = 0; attempt < 50; attempt++) {
      for (const pid of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean)) killQuietly(Number(pid));
      try {
        rmdirSync(dir);
        break;
      } catch {
        sleepSync(20);
      }
    }
  }
}

/** SIGKILL, where a process that already exited is no error. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}
