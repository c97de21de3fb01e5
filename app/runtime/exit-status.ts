import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Cgroup, Limits } from "./contract.js";

/** A line explaining a death the user may not expect (the OOM killer), or undefined. */
export function describeExit(status: number, cgroup: Cgroup | undefined, limits: Limits): string | undefined {
  if (status !== 128 + 9 || !cgroup || limits.memory === undefined) return undefined;
  if (oomKills(cgroup) === 0) return undefined;
  return `container: killed by the kernel's OOM killer: the container reached its memory limit of ${formatBytes(limits.memory)} (--memory)`;
}

/** How many processes the OOM killer killed in this cgroup (memory.events on v2, memory.oom_control on v1). */
function oomKills(cgroup: Cgroup): number {
  const file = cgroup.version === 2 ? "memory.events" : "memory.oom_control";
  try {
    const match = /^oom_kill (\d+)$/m.exec(readFileSync(join(cgroup.dirs.memory, file), "utf8"));
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
