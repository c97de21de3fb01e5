// Part 2, feedback: from a save in an implementation directory to the last check result of the
// step that file belongs to, including the re-bundle the save makes necessary. Measured with the
// reference implementation (a copy of solutions/) and with a pristine copy of exercises/.
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checksOf, runStep, type CheckResult } from "../app/checks/index.js";
import { buildContainer } from "../app/checks/prepare.js";
import { moduleFile, STEPS, type Step } from "../app/course/steps.js";
import { roundsFor, type BenchContext } from "./context.js";
import { interleave } from "./interleave.js";
import type { Figure, PartResult } from "./report.js";
import { pairedRatios, summarise } from "./stats.js";

const TARGET_MS = 2000;

export async function benchFeedback(ctx: BenchContext): Promise<PartResult> {
  const steps = STEPS.filter(hasChecks);
  const title = "2. Feedback";
  if (!steps.length) return { title, method: "", figures: [], notes: ["not measurable yet: no step has checks in app/checks/steps/ yet"] };
  const reference = copyImplementation(ctx, "solutions");
  const pristine = copyImplementation(ctx, "exercises");
  const root = join(ctx.work, "checks-store");
  const { rounds, warmup } = roundsFor(ctx, 3, 1, 1);
  ctx.log(`Feedback: ${steps.length} step(s) with checks, ${rounds} rounds after ${warmup} warm-up, reference and exercises interleaved`);

  const figures: Figure[] = [];
  const notes: string[] = [];
  // Of each measured save of the reference: the whole wait, and the re-bundling part of it.
  const bundling: { total: number; bundle: number }[] = [];
  for (const step of steps) {
    const unexpected = new Set<string>();
    let round = 0;
    const samples = await interleave(
      {
        reference: async () => {
          const save = await timeSave(step, reference, root, (r) => r.status !== "pass" && unexpected.add(`${r.id}: ${r.status}`));
          if (round++ >= warmup) bundling.push(save);
          return save.total;
        },
        exercises: async () => (await timeSave(step, pristine, root)).total,
      },
      { rounds, warmup, onRound: (done, total) => process.stderr.write(`\r  feedback, step ${step.id}: round ${done}/${total} `) },
    );
    process.stderr.write("\n");
    const value = summarise(samples.reference);
    figures.push({
      name: `step ${step.id} (${step.title}): save → last check, reference`,
      unit: "ms",
      value,
      ratios: [{ against: "the same with exercises/ (TODOs)", ratio: summarise(pairedRatios(samples.reference, samples.exercises)) }],
      target: { text: `≤ ${TARGET_MS / 1000} s`, met: value.median <= TARGET_MS },
    });
    figures.push({ name: `step ${step.id}: save → last check, exercises`, unit: "ms", value: summarise(samples.exercises), ratios: [] });
    if (unexpected.size) notes.push(`step ${step.id}: the reference did not pass ${[...unexpected].join(", ")}: its time is not that of a passing run`);
  }
  const total = bundling.map((b) => b.total);
  figures.push({
    name: "of a save with the reference (all steps): re-bundling the implementation",
    unit: "ms",
    value: summarise(bundling.map((b) => b.bundle)),
    ratios: [{ against: "the whole save → last check", ratio: summarise(pairedRatios(bundling.map((b) => b.bundle), total)) }],
  });
  const without = STEPS.filter((s) => !hasChecks(s)).map((s) => s.id);
  if (without.length) notes.push(`steps without checks yet, not measured: ${without.join(", ")}`);
  return {
    title,
    method:
      `For each step with checks: append a line to the step's first module in a copy of the implementation (a save), then \`runStep\` ` +
      `(app/checks) until its last result, which includes re-bundling the changed implementation. The copy of solutions/ is the ` +
      `reference; a pristine copy of exercises/ (every step a TODO) answers without running much. ${rounds} rounds, interleaved.`,
    figures,
    notes,
  };
}

function hasChecks(step: Step): boolean {
  try {
    return checksOf(step.id).length > 0;
  } catch {
    return false;
  }
}

/**
 * Saves the step's module (a new line, so its size and mtime change) and times its checks:
 * the whole wait, and the re-bundling that runStep would otherwise begin with.
 */
async function timeSave(step: Step, impl: string, root: string, onResult?: (result: CheckResult) => void): Promise<{ total: number; bundle: number }> {
  const start = performance.now();
  let last = start;
  appendFileSync(join(impl, moduleFile(step)), `// saved by the benchmark at ${Date.now()}\n`);
  const compileError = await buildContainer(impl);
  if (compileError) throw new Error(`${impl} does not compile: ${compileError}`);
  const bundle = performance.now() - start;
  await runStep(step.id, {
    impl,
    root,
    onResult: (result) => {
      last = performance.now();
      onResult?.(result);
    },
  });
  return { total: last - start, bundle };
}

/** A copy of an implementation directory in the run's work directory; its bundles go with it. */
function copyImplementation(ctx: BenchContext, name: "solutions" | "exercises"): string {
  const copy = join(ctx.work, `impl-${name}`);
  cpSync(join(ctx.repo, name), copy, { recursive: true });
  ctx.cleanup.defer(`remove the bundles of ${copy}`, () => removeBuildsOf(ctx.repo, copy));
  return copy;
}

/** The build cache's programs built from `impl` (app/build/bundle.mjs records it in current.json). */
function removeBuildsOf(repo: string, impl: string): void {
  const cache = join(repo, "node_modules", ".cache", "container-workshop");
  for (const name of readdirSync(cache)) {
    try {
      if (JSON.parse(readFileSync(join(cache, name, "current.json"), "utf8")).impl === impl) rmSync(join(cache, name), { recursive: true, force: true });
    } catch {
      // not a program's directory, or one being built
    }
  }
}
