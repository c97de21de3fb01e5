// A TypeScript course shows type errors: the learner's implementation is type-checked against the
// contract (whatever directory it is in), and the errors name the file, the line and the cause.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatTypeError, TypeChecker } from "../../app/checks/type-check.js";
import { REPO } from "../../app/build/repo.mjs";
import { pristineExercises } from "../helpers/implementations.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the pristine exercises, outside the repository, as `--impl DIR` may be. */
function exercisesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "type-check-"));
  dirs.push(dir);
  return pristineExercises(dir);
}

function edit(file: string, before: string, after: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(before)) throw new Error(`${file} no longer contains ${before}`);
  writeFileSync(file, text.replace(before, after));
}

describe("type-checking an implementation against the contract", () => {
  it("finds nothing wrong with the pristine exercises, then the error of a save, then nothing again once it is fixed", () => {
    const impl = exercisesCopy();
    const checker = new TypeChecker(REPO, impl);
    expect(checker.check()).toEqual([]);
    const file = join(impl, "rootfs.ts");
    edit(file, '  todo("mountProc");\n', '  const oops: number = "x";\n  todo("mountProc");\n');
    const errors = checker.check();
    expect(errors.map(formatTypeError)).toEqual([`${file}:14:9 Type 'string' is not assignable to type 'number'.`, `${file}:14:9 'oops' is declared but its value is never read.`]);
    edit(file, '  const oops: number = "x";\n', "");
    expect(checker.check()).toEqual([]);
  }, 60_000);

  it("names the module whose signature no longer fits the contract", () => {
    const impl = exercisesCopy();
    edit(join(impl, "cgroups.ts"), "id: string, limits: Limits): Cgroup {", "id: number): string {");
    const errors = new TypeChecker(REPO, impl).check().map(formatTypeError);
    expect(errors).toEqual([
      expect.stringMatching(/^\S+\/cgroups\.ts:1:1 does not fit the contract: Types of property 'createCgroup' are incompatible\. /),
      expect.stringMatching(/^\S+\/cgroups\.ts:5:35 'Limits' is declared but never used\.$/),
    ]);
  }, 60_000);
});
