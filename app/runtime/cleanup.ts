// Undoing what a container left on the host when its run could not: the run was killed
// (SIGKILL), crashed, or the implementation's own cleanup failed. Deliberately independent of
// the implementation under test, so a learner's bug never leaves the machine dirty for good.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmdirSync } from "node:fs";
import { basename, join } from "node:path";
import { ImageStore } from "../image/store.js";
import type { BridgeNetwork, Cgroup } from "./contract.js";
import { addressPool, parseOwner, releaseClaim, type AddressOwner } from "./host-network.js";
import { idRangePool, releaseIdRange } from "./id-ranges.js";
import type { ClaimPool } from "./ipam.js";
import { sleepSync } from "./lock.js";
import { portPool, portRules, releasePorts, removePortRules } from "./published-ports.js";
import { imagesInUse, isRunning, processStartTime, StateStore, type ContainerState } from "./state.js";

/**
 * Removes every trace of containers whose processes are all gone, and the images `rmi --force`
 * left to them. Returns the ids of the containers and the digests of the images removed.
 */
export function pruneContainers(states: StateStore, root: string): { containers: string[]; images: string[] } {
  const containers: string[] = [];
  const images: string[] = [];
  for (const state of states.list()) {
    if (isRunning(state)) continue;
    // A run that tore down cleanly left no rules (it checked); one that was killed may have.
    if (state.ports?.length) removePortRules(state.id);
    images.push(...releaseHostResources(state, root));
    states.remove(state.id);
    containers.push(state.id);
  }
  releaseOrphans(addressPool());
  releaseOrphans(idRangePool());
  // A port's nat rules go with its claim: they lead to an address that may be someone else's next.
  releaseOrphans(portPool(), (owner) => removePortRules(basename(owner.container)));
  images.push(...removeReleasedImages(root));
  return { containers, images };
}

/**
 * Addresses on the bridge (or id ranges, or host ports) whose container has no state left and
 * whose run has ended: the run died between taking one and saving it, or its store was deleted.
 * Whichever store's prune finds them: the bridge, the ranges and the ports belong to all stores.
 * `before` undoes what the claim stood for, first.
 */
function releaseOrphans(pool: ClaimPool, before?: (owner: AddressOwner) => void): void {
  for (const [name, text] of pool.owners()) {
    const owner = parseOwner(text);
    if (owner && (existsSync(owner.container) || processStartTime(owner.pid) === owner.start)) continue;
    if (owner) before?.(owner);
    pool.release(name);
  }
}

/** What of a finished container is still on the host: cgroup directories, its veth, its nat rules. */
export function leftovers(state: ContainerState): string[] {
  const left: string[] = [];
  if (state.cgroup) left.push(...[...new Set(Object.values(state.cgroup.dirs))].filter((dir) => existsSync(dir)));
  if (state.bridge && existsSync(`/sys/class/net/${state.bridge.hostVeth}`)) left.push(`network interface ${state.bridge.hostVeth}`);
  if (state.ports?.length) left.push(...portRules(state.id).map((rule) => `nat rule "${rule}"`));
  return left;
}

/**
 * Best effort, each part on its own: one failing must not keep the others from running. Last, an
 * image `rmi --force` removed while this container ran goes, if no other running container uses
 * it; returns the digests of the images removed.
 */
export function releaseHostResources(state: ContainerState, root: string): string[] {
  if (state.cgroup) removeCgroupDirs(state.cgroup);
  if (state.idRange) releaseIdRange(root, state.idRange);
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
  if (state.ports?.length) releasePorts(root, state.id, state.ports);
  return removeReleasedImages(root, state.id);
}

/** The images `rmi --force` left to running containers, once none (but `finished`, on its way out) uses them. */
function removeReleasedImages(root: string, finished?: string): string[] {
  let inUse: Map<string, string[]> | undefined;
  return new ImageStore(root).removeReleased((digest) => (inUse ??= imagesInUse(new StateStore(root), finished)).has(digest));
}

/** Gives a container's address back, if a container of the store at `root` holds it. */
export function releaseAddress(root: string, bridge: BridgeNetwork): void {
  releaseClaim(addressPool(), bridge.address.split("/")[0] ?? bridge.address, root);
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
