// Part 2, feedback: from a save in an implementation directory to the last check result of the
// step that file belongs to, including the re-bundle the save makes necessary. Measured with the
// reference implementation (a copy of solutions/) and with a pristine copy of exercises/.
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { checksOf, runStep, TypeChecker, type CheckResult } from "../app/checks/index.js";
import { buildContainer } from "../app/checks/prepare.js";
import { moduleFile, STEPS, type Step } from "../app/course/steps.js";
import { partial, pristineExercises } from "../tests/helpers/implementations.js";
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
  figures.push(await timePartialStep1(ctx, root, rounds));
  figures.push(...timeTypeCheck(ctx, pristine, rounds, summarise(total).median));
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

/**
 * The first save every learner makes: spawnInit written, waitForExit still a TODO. The checks must
 * say "not started" as fast as they pass, not time out (the run stops at the TODO).
 */
async function timePartialStep1(ctx: BenchContext, root: string, rounds: number): Promise<Figure> {
  const impl = partial(ctx.work, "process.ts", "waitForExit");
  ctx.cleanup.defer(`remove the bundles of ${impl}`, () => removeBuildsOf(ctx.repo, impl));
  const step = STEPS[0]!;
  const samples: number[] = [];
  const verdicts = new Set<string>();
  for (let i = 0; i <= rounds; i++) {
    const { total } = await timeSave(step, impl, root, (r) => verdicts.add(r.status));
    if (i > 0) samples.push(total);
  }
  const value = summarise(samples);
  const notStarted = verdicts.size === 1 && verdicts.has("not-started");
  return {
    name: `step 1 half written (waitForExit a TODO): save → "not started"${notStarted ? "" : ` (but the checks said ${[...verdicts].join(", ")})`}`,
    unit: "ms",
    value,
    ratios: [],
    target: { text: `≤ ${TARGET_MS / 1000} s`, met: notStarted && value.median <= TARGET_MS },
  };
}

/** What a type check of the learner's implementation adds to a save's feedback: the first one, and one after a save. */
function timeTypeCheck(ctx: BenchContext, impl: string, rounds: number, feedbackMs: number): Figure[] {
  const file = join(impl, "process.ts");
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < Math.max(2, rounds); i++) {
    const checker = new TypeChecker(ctx.repo, impl);
    cold.push(timed(() => checker.check()));
    appendFileSync(file, `// saved by the benchmark at ${Date.now()}\n`);
    warm.push(timed(() => checker.check()));
  }
  const against = (samples: number[]) => [{ against: "a save's feedback (reference, all steps)", ratio: summarise(samples.map((ms) => ms / feedbackMs)) }];
  return [
    { name: "type check of the implementation, first (the app keeps its checker: once a session)", unit: "ms", value: summarise(cold), ratios: against(cold) },
    { name: "type check of the implementation after a save", unit: "ms", value: summarise(warm), ratios: against(warm) },
  ];
}

function timed(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
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

/** A copy of an implementation directory in the run's work directory (the exercises as shipped); its bundles go with it. */
function copyImplementation(ctx: BenchContext, name: "solutions" | "exercises"): string {
  const copy = join(ctx.work, `impl-${name}`);
  cpSync(name === "exercises" ? pristineExercises(ctx.work) : join(ctx.repo, name), copy, { recursive: true });
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
