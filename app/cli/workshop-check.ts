// `workshop check [STEP|all]`: runs the checks and prints each result as it comes in, or, with
// --json, one object at the end. Passing checks of the learner's own runtime are remembered in
// .workshop/progress.json, where the app reads them too.
import chalk, { Chalk, type ChalkInstance } from "chalk";
import { checksOf, formatTypeError, implDirectory, runStep, TypeChecker, type CheckResult, type CheckStatus, type TypeError } from "../checks/index.js";
import { loadProgress, progressFile, saveProgress } from "../course/progress.js";
import { findStep, stepHeading, STEPS } from "../course/steps.js";
import { UserError } from "../errors.js";
import { colorDisabled, formatDuration, MARK } from "../format.js";
import { interruptible } from "./interrupt.js";
import { last } from "./options.js";
import { roomReport } from "./room-report.js";
import { parseArgs, stepArgument, type Workspace } from "./workshop-args.js";

const OPTIONS = [
  { names: ["--impl"], value: true },
  { names: ["--root"], value: true },
  { names: ["--json"], value: false },
];

interface StepReport {
  id: string;
  title: string;
  checks: { id: string; title: string; status: CheckStatus; message: string | null; durationMs: number }[];
}

/** Runs the command; returns the exit status: 0 when every check passed, 1 otherwise, 130 when interrupted. */
export async function checkCommand(args: string[], { repo, out }: Workspace): Promise<number> {
  const parsed = parseArgs(args, OPTIONS, "check");
  // The learner's current step; on the introduction or the outro, which have no checks, step 1.
  const [which = findStep(loadProgress(progressFile(repo)).currentStep)?.id ?? "1", ...extra] = parsed.positionals;
  if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"`, "usage: workshop check [STEP|all] [--impl exercises|solutions|DIR] [--root DIR] [--json]", 2);
  const steps = which === "all" ? STEPS.map((s) => s.id) : [stepArgument(which, "check [STEP|all]").id];
  if (process.getuid?.() !== 0) {
    throw new UserError("`workshop check` needs root: the checks start real containers", "run it with sudo: sudo npx workshop check");
  }
  const impl = last(parsed, "--impl") ?? "exercises";
  const root = last(parsed, "--root");
  const json = parsed.options.has("--json");
  const paint = new Chalk({ level: colorDisabled() ? 0 : chalk.level });

  // The room the learner joined, if any, sees each step's results (never the code).
  const room = roomReport(repo, loadProgress(progressFile(repo)), steps);
  const reports: StepReport[] = [];
  const interrupted = await interruptible(async (signal) => {
    for (const id of steps) {
      if (signal.aborted) break;
      const step = findStep(id)!;
      if (!json) out.write(`\n${paint.bold(stepHeading(step))}\n`);
      const started = Date.now();
      const results = await runStep(id, { impl, root, signal, onResult: json ? undefined : (r) => out.write(formatResult(r, paint)) });
      if (signal.aborted) break;
      reports.push({ id, title: step.title, checks: results.map(({ id, title, status, message, durationMs }) => ({ id, title, status, message: message ?? null, durationMs })) });
      if (impl === "exercises") remember(repo, id, results);
      room?.results(id, results);
      if (!json) out.write(`  ${summary(results, checksOf(id).length, paint)} ${paint.dim(`(${formatDuration(Date.now() - started)})`)}\n`);
    }
    return signal.aborted;
  });
  const unshared = await room?.finish();
  if (unshared) process.stderr.write(`${unshared}\n`);
  if (interrupted) {
    out.write("\nInterrupted: the checks were stopped and everything they started was removed.\n");
    return 130;
  }
  // After the checks, which ran whatever the types say (esbuild does not type-check).
  const typeErrors = new TypeChecker(repo, implDirectory(impl)).check();
  const all = reports.flatMap((r) => r.checks);
  const passed = all.length > 0 && all.every((c) => c.status === "pass") && typeErrors.length === 0;
  if (json) out.write(`${JSON.stringify({ impl, passed, steps: reports, typeErrors }, null, 2)}\n`);
  else {
    if (typeErrors.length) out.write(formatTypeErrors(typeErrors, paint));
    if (steps.length > 1) out.write(`\n${passed ? paint.green(`All ${all.length} checks passed.`) : summary(all, all.length, paint)}\n`);
  }
  return passed ? 0 : 1;
}

/** "  ✗ title (412 ms)" and, under it, the message, indented. */
export function formatResult(result: CheckResult, paint: ChalkInstance): string {
  const mark = MARK[result.status];
  const note = { pass: "", fail: "", "not-started": " not started", error: " could not be checked" }[result.status];
  const head = `  ${paint[mark.color](mark.symbol)} ${result.title}${paint.dim(`${note} (${formatDuration(result.durationMs)})`)}\n`;
  const lines = (result.message ?? "").split("\n").filter(Boolean);
  return head + lines.map((line) => `      ${result.status === "pass" ? paint.dim(line) : line}\n`).join("");
}

/** The type errors, after the checks: they ran anyway, and these need fixing too. */
function formatTypeErrors(errors: TypeError[], paint: ChalkInstance): string {
  const head = `${errors.length} type error${errors.length > 1 ? "s" : ""} (the checks above ran anyway):`;
  return `\n${paint.red(head)}\n${errors.map((e) => `  ${formatTypeError(e)}\n`).join("")}`;
}

function summary(results: { status: CheckStatus }[], total: number, paint: ChalkInstance): string {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  const parts = [
    [count("fail"), "failed"],
    [count("not-started"), "not started"],
    [count("error"), "could not be checked"],
  ].flatMap(([n, what]) => (n ? [`${n} ${what}`] : []));
  const passed = `${count("pass")} of ${total} passed`;
  return parts.length ? `${passed}: ${paint.red(parts.join(", "))}` : paint.green(passed);
}

/** The app shows which checks passed last time: keep the learner's results in their progress file. */
function remember(repo: string, stepId: string, results: CheckResult[]): void {
  const file = progressFile(repo);
  const progress = loadProgress(file);
  progress.passed[stepId] = results.filter((r) => r.status === "pass").map((r) => r.id);
  saveProgress(file, progress);
}
