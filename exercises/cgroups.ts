// Step 4: cgroups — docs/04-cgroups.md
//
// One cgroup per container, with its limits, the init process moved in before the command starts,
// removed after it exits. `root` says whether this machine uses cgroup v2 or v1 and where.
import type { Cgroup, CgroupRoot, Limits } from "#contract";
import { todo } from "#given";

/**
 * Create the directory (v2) or directories (v1: one per controller) for container `id` under
 * `root.parent`, and write the limits that are set. (Task 1 in docs/04-cgroups.md)
 */
export function createCgroup(root: CgroupRoot, id: string, limits: Limits): Cgroup {
  return todo("createCgroup");
}

/** Move process `pid` into the cgroup. (Task 2) */
export function addProcess(cgroup: Cgroup, pid: number): void {
  todo("addProcess");
}

/** Kill whatever is still in the cgroup, then remove its directories. (Task 3) */
export function removeCgroup(cgroup: Cgroup): void {
  todo("removeCgroup");
}
