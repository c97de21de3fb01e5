// What the numbers were measured on, for the report: ratios travel between machines, times less so.
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import { findCgroupRoot } from "../app/runtime/cgroup-root.js";

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  kernel: string;
  node: string;
  cgroups: string;
  /** The 1-minute load average when the run started: how busy the shared machine was. */
  load: number;
}

export function describeMachine(): Machine {
  const cgroup = findCgroupRoot();
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: release(),
    node: process.version,
    cgroups: cgroup ? `v${cgroup.version} (memory, cpu, pids)${hasUnified() && cgroup.version === 1 ? ", hybrid" : ""}` : "none usable",
    load: loadavg()[0] ?? 0,
  };
}

function hasUnified(): boolean {
  return readFileSync("/proc/self/mountinfo", "utf8").includes(" - cgroup2 ");
}
