// Step 4: cgroups. One cgroup per container, limits written before the command starts,
// removed after it exits. cgroup v2 has one tree; v1 has one tree per controller.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kill } from "#native";
import type { Cgroup, CgroupRoot, Limits } from "#contract";

const CPU_PERIOD_US = 100_000;

export function createCgroup(root: CgroupRoot, id: string, limits: Limits): Cgroup {
  // All containers' cgroups live under one parent, so they are easy to find and clean up.
  return root.version === 2 ? createV2(root.path, root.parent, id, limits) : createV1(root.controllers, root.parent, id, limits);
}

function createV2(rootPath: string, parent: string, id: string, limits: Limits): Cgroup {
  // In v2 a controller works in a cgroup only if every ancestor enables it for its children.
  let dir = rootPath;
  for (const part of parent.split("/").filter(Boolean)) {
    enableControllers(dir);
    dir = join(dir, part);
    if (!existsSync(dir)) mkdirSync(dir);
  }
  enableControllers(dir);
  dir = join(dir, id);
  mkdirSync(dir);
  if (limits.memory !== undefined) {
    writeFileSync(join(dir, "memory.max"), String(limits.memory));
    // Without this the kernel swaps instead of enforcing the limit.
    if (existsSync(join(dir, "memory.swap.max"))) writeFileSync(join(dir, "memory.swap.max"), "0");
  }
  if (limits.cpus !== undefined) writeFileSync(join(dir, "cpu.max"), `${Math.round(limits.cpus * CPU_PERIOD_US)} ${CPU_PERIOD_US}`);
  if (limits.pids !== undefined) writeFileSync(join(dir, "pids.max"), String(limits.pids));
  return { version: 2, dirs: { memory: dir, cpu: dir, pids: dir } };
}

function enableControllers(dir: string): void {
  const available = readFileSync(join(dir, "cgroup.controllers"), "utf8").split(/\s+/);
  const wanted = ["memory", "cpu", "pids"].filter((c) => available.includes(c));
  if (wanted.length) writeFileSync(join(dir, "cgroup.subtree_control"), wanted.map((c) => `+${c}`).join(" "));
}

function createV1(controllers: { memory: string; cpu: string; pids: string }, parent: string, id: string, limits: Limits): Cgroup {
  const dirs = {
    memory: join(controllers.memory, parent, id),
    cpu: join(controllers.cpu, parent, id),
    pids: join(controllers.pids, parent, id),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  if (limits.memory !== undefined) {
    writeFileSync(join(dirs.memory, "memory.limit_in_bytes"), String(limits.memory));
    // memsw (memory + swap) exists only with swap accounting; set it too so swapping cannot dodge the limit.
    const memsw = join(dirs.memory, "memory.memsw.limit_in_bytes");
    if (existsSync(memsw)) writeFileSync(memsw, String(limits.memory));
    writeFileSync(join(dirs.memory, "memory.swappiness"), "0");
  }
  if (limits.cpus !== undefined) {
    writeFileSync(join(dirs.cpu, "cpu.cfs_period_us"), String(CPU_PERIOD_US));
    writeFileSync(join(dirs.cpu, "cpu.cfs_quota_us"), String(Math.round(limits.cpus * CPU_PERIOD_US)));
  }
  if (limits.pids !== undefined) writeFileSync(join(dirs.pids, "pids.max"), String(limits.pids));
  return { version: 1, dirs };
}

export function addProcess(cgroup: Cgroup, pid: number): void {
  for (const dir of uniqueDirs(cgroup)) writeFileSync(join(dir, "cgroup.procs"), String(pid));
}

export function removeCgroup(cgroup: Cgroup): void {
  for (const dir of uniqueDirs(cgroup)) {
    if (!existsSync(dir)) continue;
    killAll(dir);
    rmdirWhenEmpty(dir);
  }
}

function uniqueDirs(cgroup: Cgroup): string[] {
  return [...new Set(Object.values(cgroup.dirs))];
}

/** A cgroup cannot be removed while it has processes: kill them (cgroup.kill where the kernel has it). */
function killAll(dir: string): void {
  const killFile = join(dir, "cgroup.kill");
  if (existsSync(killFile)) {
    writeFileSync(killFile, "1");
    return;
  }
  for (const pid of readPids(dir)) {
    try {
      kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function readPids(dir: string): number[] {
  return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
}

/** Killed processes leave the cgroup a moment after the signal: retry rmdir while it is busy, briefly. */
function rmdirWhenEmpty(dir: string): void {
  const deadline = Date.now() + 2000;
  for (;;) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EBUSY" || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
