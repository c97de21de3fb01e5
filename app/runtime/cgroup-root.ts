import { readFileSync } from "node:fs";
import type { CgroupRoot } from "./contract.js";

/**
 * Finds where this machine keeps cgroups, from the mount table: a cgroup v2 tree with the memory,
 * cpu and pids controllers available (the unified layout most machines use), else the v1
 * hierarchies of those controllers (hybrid or legacy layout). Undefined when neither is usable.
 * A hierarchy that something else was mounted over since does not count: its path now leads
 * into that other filesystem.
 */
export function findCgroupRoot(
  parent = process.env.CONTAINER_CGROUP_PARENT || "container-workshop",
  mountinfo = readFileSync("/proc/self/mountinfo", "utf8"),
): CgroupRoot | undefined {
  const v1: Partial<Record<"memory" | "cpu" | "pids", string>> = {};
  for (const { mountPoint, fstype, superOptions } of visibleMounts(mountinfo)) {
    if (fstype === "cgroup2" && hasV2Controllers(mountPoint)) return { version: 2, path: mountPoint, parent };
    if (fstype === "cgroup") {
      const options = superOptions.split(",");
      for (const controller of ["memory", "cpu", "pids"] as const) {
        if (options.includes(controller)) v1[controller] ??= mountPoint;
      }
    }
  }
  if (v1.memory && v1.cpu && v1.pids) return { version: 1, controllers: { memory: v1.memory, cpu: v1.cpu, pids: v1.pids }, parent };
  return undefined;
}

/** The mount table's entries, in mount order, without those hidden by a later mount at or above them. */
function visibleMounts(mountinfo: string): { mountPoint: string; fstype: string; superOptions: string }[] {
  const mounts = mountinfo.split("\n").flatMap((line) => {
    // "... mountpoint options - fstype source superoptions"
    const [left, right] = line.split(" - ");
    if (!left || !right) return [];
    const [fstype = "", , superOptions = ""] = right.split(" ");
    return [{ mountPoint: unescape(left.split(" ")[4] ?? ""), fstype, superOptions }];
  });
  // From the last mount back, remembering where later mounts are. A later mount on "/" is left
  // out: it would hide everything, and is not what hides cgroups.
  const later = new Set<string>();
  const visible = [];
  for (const mount of mounts.reverse()) {
    const parts = mount.mountPoint.split("/");
    const covered = parts.some((_, n) => n > 0 && later.has(parts.slice(0, n + 1).join("/")));
    if (!covered) visible.push(mount);
    later.add(mount.mountPoint);
  }
  return visible.reverse();
}

function hasV2Controllers(mountPoint: string): boolean {
  try {
    const controllers = readFileSync(`${mountPoint}/cgroup.controllers`, "utf8").split(/\s+/);
    return ["memory", "cpu", "pids"].every((c) => controllers.includes(c));
  } catch {
    return false;
  }
}

/**
 * Where `container run` puts containers' cgroups: where this machine keeps them, unless
 * CONTAINER_CGROUP_ROOT gives another root (a CgroupRoot as JSON). The checks use it to run a
 * learner's code for the other cgroup version against a tree shaped like it (a fake: the kernel
 * enforces nothing there), since a machine runs only one of them for real.
 */
export function containerCgroupRoot(): CgroupRoot | undefined {
  const given = process.env.CONTAINER_CGROUP_ROOT;
  return given ? (JSON.parse(given) as CgroupRoot) : findCgroupRoot();
}

// mountinfo escapes spaces and a few other characters as octal.
function unescape(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
