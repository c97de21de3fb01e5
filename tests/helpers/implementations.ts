/**
 * Implementation directories for tests, made from solutions/: with a mistake (a mutant), with some
 * modules back to the pristine exercises (a runtime in progress), or with one function back to a
 * TODO (a step half written).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO } from "../../app/build/repo.mjs";

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
  const pristine = pristineExercises(parent);
  for (const file of modules.map((m) => `${m}.ts`)) cpSync(join(pristine, file), join(dir, file));
  rmSync(dirname(pristine), { recursive: true });
  return dir;
}

/**
 * A copy of solutions/ with one function back to a TODO (its body `return todo("func")`, as the
 * exercise has it): a learner who has written everything of the step but that function.
 */
export function partial(parent: string, module: string, func: string): string {
  const dir = copyOfSolutions(parent, `partial-${func}`);
  const file = join(dir, module);
  const source = readFileSync(file, "utf8");
  const body = new RegExp(`(export function ${func}(<[^>]*>)?\\([^]*?\\)[^{]*)\\{\\n[^]*?\\n\\}\\n`);
  if (!body.test(source)) throw new Error(`solutions/${module} has no function ${func}: update this test`);
  writeFileSync(file, `import { todo } from "#given";\n${source.replace(body, `$1{\n  return todo("${func}");\n}\n`)}`);
  return dir;
}

function copyOfSolutions(parent: string, label: string): string {
  const dir = mkdtempSync(join(parent, `${label}-`));
  cpSync(join(REPO, "solutions"), dir, { recursive: true });
  return dir;
}

/**
 * The exercises as the course ships them, whatever the learner has written since: from git's HEAD
 * (like `workshop reset`), so that the suite passes in a checkout where the exercises are done.
 */
export function pristineExercises(parent: string): string {
  // Named exercises/, like the directory it stands for (the app shows the path).
  const dir = join(mkdtempSync(join(parent, "pristine-")), "exercises");
  mkdirSync(dir);
  execFileSync("sh", ["-c", 'git -C "$0" archive HEAD exercises | tar -x -C "$1" --strip-components=1', REPO, dir]);
  return dir;
}
