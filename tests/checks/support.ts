/**
 * For the checks' tests: a store root per test file, implementation directories with one mistake
 * each (copies of solutions/), and what a run of the checks may have left on this machine.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { cgroupBases } from "../../app/checks/cgroup-tree.js";
import { ensureCheckImage } from "../../app/checks/index.js";
import { REPO } from "../../app/build/repo.mjs";
import { requireRoot } from "../helpers/requirements.js";

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
export function mutantsWorkspace(label: string): { root: string; impls: string } {
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
  return { root: store.root, impls };
}

/**
 * A copy of solutions/ with `module` edited: each [before, after] replaces text that must be
 * there (so that a change to the reference cannot quietly turn the mutant into the reference).
 */
export function mutant(parent: string, module: string, edits: [before: string, after: string][]): string {
  const dir = copyOfSolutions(parent, `mutant-${module.replace(".ts", "")}`);
  const file = join(dir, module);
  let source = readFileSync(file, "utf8");
  for (const [before, after] of edits) {
    if (!source.includes(before)) throw new Error(`solutions/${module} no longer contains ${JSON.stringify(before)}: update this mutant`);
    source = source.replace(before, after);
  }
  writeFileSync(file, source);
  return dir;
}

/** A copy of solutions/ with `modules` back to the pristine exercises' TODOs: a runtime in progress. */
export function inProgress(parent: string, ...modules: string[]): string {
  const dir = copyOfSolutions(parent, "in-progress");
  for (const file of modules.map((m) => `${m}.ts`)) cpSync(join(REPO, "exercises", file), join(dir, file));
  return dir;
}

function copyOfSolutions(parent: string, label: string): string {
  const dir = mkdtempSync(join(parent, `${label}-`));
  cpSync(join(REPO, "solutions"), dir, { recursive: true });
  return dir;
}

/** What the checks run by this process left: cgroup parents, per-check store roots, mount points in the images, mounts. */
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
