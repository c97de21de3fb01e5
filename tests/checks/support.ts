/**
 * For the checks' tests: a store root per test file, implementation directories with one mistake
 * each (copies of solutions/), and what a run of the checks may have left on this machine.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { cgroupBases } from "../../app/checks/cgroup-tree.js";
import { checksOf, ensureCheckImage, runStep, type CheckResult } from "../../app/checks/index.js";
import { requireRoot } from "../helpers/requirements.js";

export { inProgress, mutant, partial } from "../helpers/implementations.js";

/** A temporary store root, removed by `remove()`. */
export function tempRoot(label: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), `workshop-checks-${label}-`));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * For a test file that runs the checks against mutants: a store root with the check image, a
 * directory for the mutants, root required, and at the end nothing left behind (checked once all
 * tests are done, since they may run at the same time).
 */
export function mutantsWorkspace(label: string): { root: string; impls: string; failures(step: string, impl: string): Promise<Record<string, CheckResult>> } {
  const store = tempRoot(label);
  const impls = mkdtempSync(join(tmpdir(), `workshop-${label}-impls-`));
  const mounts = mountTable();
  beforeAll(() => ensureCheckImage(store.root));
  beforeEach((ctx) => requireRoot(ctx));
  afterAll(() => {
    expect(leftoversOf(store.root, mounts)).toEqual([]);
    store.remove();
    rmSync(impls, { recursive: true, force: true });
  });
  /** The step's results for an implementation: the ones that did not pass, by id. */
  const failures = async (step: string, impl: string) => {
    const results = await runStep(step, { impl, root: store.root });
    return Object.fromEntries(results.filter((r) => r.status !== "pass").map((r) => [r.id, r]));
  };
  return { root: store.root, impls, failures };
}

/** What the checks run by this process left: cgroup parents, per-check store roots, mount points in the images, mounts. */
/** What every check of bonus step `step` says while `func` is still a TODO, as "id: status: message". */
export function allWaitingFor(step: string, func: string): string[] {
  return checksOf(step).map((c) => `${c.id}: not-started: the ${step} bonus step is not done yet: ${func}() is still a TODO`);
}

/** The failures of a run as "id: status: message", in the step's order. */
export const described = (failed: Record<string, CheckResult>): string[] => Object.values(failed).map((r) => `${r.id}: ${r.status}: ${r.message}`);

export function leftoversOf(root: string, mountsBefore: string[]): string[] {
  const prefix = `workshop-check-${process.pid}-`;
  const cgroups = cgroupBases().flatMap((base) => readdirSync(base).filter((name) => name.startsWith(prefix)).map((name) => join(base, name)));
  const roots = list(join(root, "checks")).map((name) => join(root, "checks", name));
  const images = list(join(root, "images")).map((hex) => join(root, "images", hex, "rootfs"));
  const mountPoints = images.flatMap((rootfs) => list(rootfs).filter((name) => name.startsWith("workshop-check-")).map((name) => join(rootfs, name)));
  const mounts = mountTable().filter((line) => !mountsBefore.includes(line));
  return [...cgroups, ...roots, ...mountPoints, ...mounts];
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** This process's mount table, a mount a line. */
export function mountTable(): string[] {
  return readFileSync("/proc/self/mountinfo", "utf8").trim().split("\n");
}

/** The processes on this machine whose command line contains `text`. */
export function processesRunning(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}
