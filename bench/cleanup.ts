// Everything the benchmark creates is registered here as it is created, and undone in reverse
// order at the end, whether the run finished, failed or was interrupted.
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export class Cleanup {
  private readonly steps: { what: string; undo: () => void | Promise<void> }[] = [];

  /** Registers `undo`, described by `what` should it fail. */
  defer(what: string, undo: () => void | Promise<void>): void {
    this.steps.push({ what, undo });
  }

  /** A directory to delete, with everything in it. */
  directory(path: string): string {
    this.defer(`remove ${path}`, () => rmSync(path, { recursive: true, force: true }));
    return path;
  }

  /** Runs every step, last registered first; returns what could not be undone. */
  async run(): Promise<string[]> {
    const failed: string[] = [];
    for (const { what, undo } of this.steps.splice(0).reverse()) {
      try {
        await undo();
      } catch (error) {
        failed.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failed;
  }
}

/**
 * Removes the cgroup `name` (a path relative to each hierarchy's root, deepest first) from every
 * cgroup hierarchy mounted here, where app/checks/cgroup-tree.ts knows only the three controllers
 * `container` uses. A cgroup that still has processes cannot go: that throws.
 */
export function removeCgroupEverywhere(name: string): void {
  const busy: string[] = [];
  for (const mountPoint of cgroupMountPoints()) {
    const dir = join(mountPoint, name);
    if (!existsSync(dir)) continue;
    const walk = (d: string): string[] => [
      ...readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => walk(join(d, e.name))),
      d,
    ];
    for (const d of walk(dir)) {
      try {
        rmdirSync(d);
      } catch {
        busy.push(d);
      }
    }
  }
  if (busy.length) throw new Error(`cgroups still in use: ${busy.join(", ")}`);
}

/**
 * Cgroups named after process `pid` in any hierarchy: the benchmark's (workshop-bench-PID…) and
 * those of the checks it ran (workshop-check-PID-…). None may be left once a run is over.
 */
export function cgroupsNamedAfter(pid: number): string[] {
  const ours = new RegExp(`^workshop-(bench|check)-${pid}(-|$)`);
  return cgroupMountPoints().flatMap((mountPoint) => {
    try {
      return readdirSync(mountPoint).filter((name) => ours.test(name)).map((name) => join(mountPoint, name));
    } catch {
      return [];
    }
  });
}

function cgroupMountPoints(): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => /^(cgroup2?) /.test(line.split(" - ")[1] ?? ""))
    .map((line) => line.split(" ")[4]!);
}
