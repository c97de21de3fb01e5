// The contract between the runtime and an implementation directory is the compiler's to enforce:
// `npm run typecheck` checks exercises/ through exercises/tsconfig.json, and a signature that
// breaks the contract fails there (and in the learner's editor), not at run time.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { pristineExercises } from "../helpers/implementations.js";

const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
const work = mkdtempSync(join(REPO, "node_modules", ".cache", "contract-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Type-checks a copy of exercises/ (edited by `edit`) as `npm run typecheck` checks exercises/. */
async function typecheck(edit: (dir: string) => void = () => undefined): Promise<{ ok: boolean; output: string }> {
  const dir = pristineExercises(work);
  edit(dir);
  const config = JSON.parse(readFileSync(join(REPO, "exercises", "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ ...config, extends: join(REPO, "tsconfig.json"), include: [".", join(REPO, "app/runtime/implementation.ts")] }));
  try {
    await promisify(execFile)(process.execPath, [TSC, "--noEmit", "-p", dir]);
    return { ok: true, output: "" };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

describe("the implementation contract", () => {
  it("holds for the pristine exercises, TODOs and all", async () => {
    expect(await typecheck()).toEqual({ ok: true, output: "" });
  }, 120_000);

  it("fails to compile when an exercise's signature no longer fits, naming the module", async () => {
    const result = await typecheck((dir) => {
      const file = join(dir, "cgroups.ts");
      writeFileSync(file, readFileSync(file, "utf8").replace("export function createCgroup(root: CgroupRoot, id: string, limits: Limits): Cgroup {", "export function createCgroup(root: CgroupRoot, id: number): string {"));
    });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/app\/runtime\/implementation\.ts\(\d+,\d+\): error TS2322: Type 'typeof import\(".*\/cgroups"/);
    expect(result.output).toContain("Types of property 'createCgroup' are incompatible.");
  }, 120_000);

  it("fails to compile when an exercise leaves a function out", async () => {
    const result = await typecheck((dir) => {
      const file = join(dir, "pivot-root.ts");
      writeFileSync(file, readFileSync(file, "utf8").replace("export function pivotRoot(", "function pivotRoot("));
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("Property 'pivotRoot' is missing");
  }, 120_000);
});
