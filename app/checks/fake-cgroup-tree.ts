// A directory shaped like the cgroup hierarchy this machine does not run (v2 on a v1 or hybrid
// machine, v1 on a v2 one), so that a learner's code for that version runs too. It is a fake: the
// kernel enforces nothing in it, a new directory gets no interface files, and rmdir fails on one
// with files in it. What it shows is the files the code wrote, and where.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CgroupRoot } from "../runtime/contract.js";

/** Makes the fake tree under `dir` for `version`, with `parent` as a v2 kernel would have made it. */
export function fakeCgroupTree(dir: string, version: 1 | 2, parent: string): CgroupRoot {
  if (version === 1) {
    const controllers = { memory: join(dir, "memory"), cpu: join(dir, "cpu,cpuacct"), pids: join(dir, "pids") };
    for (const path of Object.values(controllers)) mkdirSync(path, { recursive: true });
    return { version: 1, controllers, parent };
  }
  // The files v2 has in every cgroup directory that the code reads: the root's, and the parent's
  // (which the runtime asks for; a kernel would create them with the directory).
  let at = dir;
  for (const part of ["", ...parent.split("/").filter(Boolean)]) {
    at = join(at, part);
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids\n");
    writeFileSync(join(at, "cgroup.subtree_control"), "");
  }
  return { version: 2, path: dir, parent };
}

/**
 * Empties every cgroup.procs of the fake tree. Done before the container exits, so that the
 * learner's removeCgroup(), which kills the pids it lists, cannot hit a pid the system has
 * given to another process since (in a real cgroup the kernel removes a pid when it exits).
 */
export function forgetProcesses(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name === "cgroup.procs") writeFileSync(join(entry.parentPath, entry.name), "");
  }
}
