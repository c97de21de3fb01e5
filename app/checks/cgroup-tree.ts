/**
 * The cgroup parent of one test file or one check (CONTAINER_CGROUP_PARENT): the containers'
 * cgroups go below it, and so does a "sandbox" cgroup that every process a check starts joins
 * first. Whatever a run leaves (a cgroup, a process, even a fork bomb) is then found, and
 * killed, below one directory per hierarchy.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findCgroupRoot } from "../runtime/cgroup-root.js";
import { killQuietly } from "../runtime/cleanup.js";

/** Where the processes of a check's sandbox live until a container's cgroup takes them. */
const SANDBOX_CGROUP = "sandbox";
/** Tasks (threads count) a whole check may have: far above what a check needs, far below what hurts the machine. */
const TASK_CAP = 2048;

/** The hierarchies containers' cgroups go in (v1: memory, cpu and pids; v2: the one tree). */
export function cgroupBases(): string[] {
  const root = findCgroupRoot();
  if (!root) return [];
  return root.version === 2 ? [root.path] : [...new Set(Object.values(root.controllers))];
}

/** The parent's directory in each hierarchy. */
export function parentDirs(parent: string): string[] {
  return cgroupBases().map((base) => join(base, parent));
}

/** The containers' cgroup directories below the parent: each subdirectory but the sandbox's. */
export function containerCgroupDirs(parent: string): string[] {
  return parentDirs(parent).flatMap((dir) => subdirs(dir).filter((name) => name !== SANDBOX_CGROUP).map((name) => join(dir, name)));
}

/**
 * Creates the sandbox cgroup (in the pids hierarchy on v1) with the task cap on the parent, and
 * returns its cgroup.procs; undefined on a machine without usable cgroups.
 */
export function createSandboxCgroup(parent: string): string | undefined {
  const root = findCgroupRoot(parent);
  if (!root) return undefined;
  const dir = join(root.version === 2 ? root.path : root.controllers.pids, parent);
  mkdirSync(join(dir, SANDBOX_CGROUP), { recursive: true });
  if (existsSync(join(dir, "pids.max"))) writeFileSync(join(dir, "pids.max"), String(TASK_CAP));
  return join(dir, SANDBOX_CGROUP, "cgroup.procs");
}

/** Every process in a cgroup below the parent, in any hierarchy. */
export function processesUnder(parent: string): number[] {
  const pids = new Set<number>();
  const walk = (dir: string) => {
    for (const pid of readProcs(dir)) pids.add(pid);
    for (const name of subdirs(dir)) walk(join(dir, name));
  };
  for (const dir of parentDirs(parent)) walk(dir);
  return [...pids];
}

/** Kills everything below the parent, again and again until nothing is left (forks race the kills). */
export async function killUnder(parent: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pids = processesUnder(parent);
    if (pids.length === 0) return;
    for (const pid of pids) killQuietly(pid);
    if (Date.now() > deadline) throw new Error(`processes ${pids.join(", ")} in cgroup ${parent} survived SIGKILL`);
    await sleep(10);
  }
}

/** Removes the parent and everything below it (children first); kills what is still inside. */
export async function removeParent(parent: string): Promise<void> {
  await killUnder(parent);
  const remove = (dir: string) => {
    for (const name of subdirs(dir)) remove(join(dir, name));
    rmdirSync(dir);
  };
  const deadline = Date.now() + 5000;
  for (const dir of parentDirs(parent)) {
    // A killed process leaves its cgroup a moment after it died (longer on a busy machine): retry while it is busy.
    while (existsSync(dir)) {
      try {
        remove(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EBUSY" || Date.now() > deadline) throw error;
        await sleep(10);
      }
    }
  }
}

function readProcs(dir: string): number[] {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}
