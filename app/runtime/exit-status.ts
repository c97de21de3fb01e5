import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Cgroup, Limits } from "./contract.js";

/**
 * What the kernel did to the container that the user may not expect: the OOM killer stopped it,
 * or forks were refused at the process limit. One line per reason, or undefined.
 */
export function describeExit(status: number, cgroup: Cgroup | undefined, limits: Limits): string | undefined {
  if (!cgroup) return undefined;
  const lines: string[] = [];
  if (status === 128 + 9 && limits.memory !== undefined && oomKills(cgroup) > 0) {
    lines.push(`container: killed by the kernel's OOM killer: the container reached its memory limit of ${formatBytes(limits.memory)} (--memory)`);
  }
  const refused = limits.pids === undefined ? 0 : counter(join(cgroup.dirs.pids, "pids.events"), "max");
  if (refused > 0) {
    lines.push(`container: the kernel refused ${refused} fork${refused === 1 ? "" : "s"}: the container reached its limit of ${limits.pids} processes (--pids)`);
  }
  return lines.length ? lines.join("\n") : undefined;
}

/** How many processes the OOM killer killed in this cgroup (memory.events on v2, memory.oom_control on v1). */
function oomKills(cgroup: Cgroup): number {
  return counter(join(cgroup.dirs.memory, cgroup.version === 2 ? "memory.events" : "memory.oom_control"), "oom_kill");
}

/** A "name N" line of a cgroup's flat-keyed file; 0 if there is none. */
function counter(file: string, name: string): number {
  try {
    const match = new RegExp(`^${name} (\\d+)$`, "m").exec(readFileSync(file, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function formatBytes(bytes: number): string {
  for (const [unit, size] of [["G", 2 ** 30], ["M", 2 ** 20], ["K", 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes} bytes`;
}
