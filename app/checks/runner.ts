/**
 * Running a step's checks: build the implementation's bundle and the check image once, then the
 * step's probes a few at a time, each in a sandbox of its own, within its time limit; judge each
 * check, and leave nothing behind, whatever the implementation did.
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { findStep } from "../course/steps.js";
import { describeError } from "../errors.js";
import { chosenStoreRoot } from "../store-root.js";
import { cgroupBases, removeParent } from "./cgroup-tree.js";
import { ensureCheckImage } from "./check-image.js";
import { fail, type CheckDef, type Probe, type StepChecks, type Verdict } from "./define.js";
import { buildContainer, implDirectory } from "./prepare.js";
import { listLeftovers, ProbeContext, type Leftover, type ProbeSetup } from "./probe-context.js";
import { stepChecks } from "./steps/index.js";
import { reachedTodo } from "./todos.js";
import type { CheckInfo, CheckResult, CheckStatus, RunOptions } from "./types.js";
import type { RuntimeEvent } from "../runtime/events.js";

/** Probes at a time: containers are mostly waiting on the kernel, but this machine may have 2 cores. */
const CONCURRENCY = 3;
const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a stopped probe gets to notice before its results are written anyway. */
const SETTLE_MS = 2000;

export function checksOf(stepId: string): CheckInfo[] {
  return stepChecks(stepId).probes.flatMap((p) => p.checks.map((check) => info(stepId, check)));
}

/**
 * Runs the checks of one step against an implementation; reports each as it starts and ends.
 * Rejects (UserError) only for an unknown step or implementation; anything else is a result.
 */
export async function runStep(stepId: string, options: RunOptions): Promise<CheckResult[]> {
  const step = stepChecks(stepId);
  const order = checksOf(stepId).map((c) => c.id);
  const impl = implDirectory(options.impl);
  const results = new Map<string, CheckResult>();
  const report = (result: CheckResult) => {
    if (options.signal?.aborted) return;
    results.set(result.id, result);
    options.onResult?.(result);
  };
  const started = Date.now();
  const setup = await prepare(stepId, impl, options);
  if ("status" in setup) {
    for (const check of step.probes.flatMap((p) => p.checks)) {
      options.onStart?.(stepId, info(stepId, check));
      report({ ...info(stepId, check), step: stepId, status: setup.status, message: setup.message, durationMs: Date.now() - started });
    }
  } else {
    await eachAtMost(CONCURRENCY, step.probes, options.signal, (p) => runProbe(step, p, setup, options, report));
  }
  return order.flatMap((id) => results.get(id) ?? []);
}

/** The bundle, the images, the store: what every probe needs. Or why the checks cannot run. */
async function prepare(stepId: string, impl: string, options: RunOptions): Promise<ProbeSetup | { status: CheckStatus; message: string }> {
  if (process.getuid?.() !== 0) {
    return { status: "error", message: "the checks need root: they start containers (run them with sudo, or in the workshop's devcontainer)" };
  }
  const storeRoot = resolve(chosenStoreRoot(options.root));
  try {
    const compileError = await buildContainer(impl);
    if (compileError) return { status: "fail", message: `the implementation does not compile:\n${compileError}` };
    await removeAbandoned(storeRoot);
    const image = await ensureCheckImage(storeRoot);
    await stepChecks(stepId).prepare?.(storeRoot);
    return { storeRoot, impl, image, traceFile: options.traceFile === undefined ? undefined : resolve(options.traceFile), nice: options.nice };
  } catch (error) {
    return { status: "error", message: describeError(error) };
  }
}

type Outcome = { kind: "seen"; seen: never } | { kind: "timeout"; ms: number } | { kind: "aborted" } | { kind: "error"; error: unknown };

async function runProbe(step: StepChecks, probe: Probe<never>, setup: ProbeSetup, options: RunOptions, report: (r: CheckResult) => void): Promise<void> {
  const stepId = step.step;
  for (const check of probe.checks) options.onStart?.(stepId, info(stepId, check));
  const started = Date.now();
  const limit = Math.max(...probe.checks.map((c) => c.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  let outcome: Outcome;
  let context: ProbeContext | undefined;
  let left: Leftover[] = [];
  let events: RuntimeEvent[] = [];
  try {
    context = await ProbeContext.open(setup);
    outcome = await withinLimit(probe.run(context), limit, context, options.signal);
    if (outcome.kind === "seen") left = context.leftovers();
    // Read before close(), which removes the probe's root and the event files in it.
    events = context.events();
  } catch (error) {
    outcome = { kind: "error", error };
  }
  try {
    await context?.close();
  } catch (error) {
    outcome = { kind: "error", error };
  }
  if (outcome.kind === "aborted" || options.signal?.aborted) return;
  const durationMs = Date.now() - started;
  for (const check of probe.checks) {
    const mine = left.filter((l) => (step.blame?.[l.kind] ?? check.name) === check.name);
    const verdict = judge(stepId, check, outcome, events, mine);
    report({ ...info(stepId, check), step: stepId, ...verdict, durationMs });
  }
}

/** The probe's outcome, or a timeout (or abort) after which everything it started is killed. */
async function withinLimit(run: Promise<never>, ms: number, context: ProbeContext, signal: AbortSignal | undefined): Promise<Outcome> {
  const settled = run.then(
    (seen): Outcome => ({ kind: "seen", seen }),
    (error: unknown): Outcome => ({ kind: "error", error }),
  );
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout", ms }), ms);
    onAbort = () => resolve({ kind: "aborted" });
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  const first = await Promise.race([settled, interrupted]);
  clearTimeout(timer);
  if (onAbort) signal?.removeEventListener("abort", onAbort);
  if (first.kind === "seen" || first.kind === "error") return first;
  await context.stop();
  await Promise.race([settled, sleep(SETTLE_MS)]);
  return first;
}

/** A check's verdict on its probe's outcome: not started when the run hit a TODO, else the check's own judgement. */
function judge(stepId: string, check: CheckDef<never>, outcome: Exclude<Outcome, { kind: "aborted" }>, events: RuntimeEvent[], left: Leftover[]): Verdict | { status: "error"; message: string } {
  if (outcome.kind === "error") return { status: "error", message: `the check itself failed: ${describeError(outcome.error)}` };
  const step = findStep(stepId);
  // A run that reached a TODO is not started, even one that then hung until the time limit.
  const todo = step && reachedTodo(events, step, check.needs);
  if (todo) return { status: "not-started", message: todo };
  if (outcome.kind === "timeout") {
    return fail(`timed out after ${Math.round(outcome.ms / 1000)}s: the run did not finish, so the workshop killed it and everything it started`);
  }
  let verdict: Verdict;
  try {
    verdict = check.judge(outcome.seen, left);
  } catch (error) {
    return { status: "error", message: `the check itself failed: ${describeError(error)}` };
  }
  if (verdict.status === "pass" && left.length) return fail(leftBehind(left, events));
  return verdict;
}

/** "it left behind …", with what container itself said it could not remove. */
function leftBehind(left: Leftover[], events: RuntimeEvent[]): string {
  const said = events.flatMap((e) => (e.event === "leftovers" ? e.what : []));
  return `it worked, but the run left behind ${listLeftovers(left)} (the workshop removed ${left.length > 1 ? "them" : "it"})${said.length ? `; container said it left ${said.join(", ")}` : ""}`;
}

function info(stepId: string, check: CheckDef<never>): CheckInfo {
  return { id: `${stepId}.${check.name}`, title: check.title };
}

/** Runs `work` on every item, at most `limit` at a time; stops taking new ones once `signal` aborts. */
async function eachAtMost<T>(limit: number, items: T[], signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * What earlier runs of the checks left because they were killed: cgroup parents and store roots
 * named after a process that is gone.
 */
async function removeAbandoned(storeRoot: string): Promise<void> {
  const dead = (name: string, prefix: string) => {
    const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
    return name.startsWith(prefix) && pid !== undefined && !existsSync(`/proc/${pid}`);
  };
  const parents = new Set(cgroupBases().flatMap((base) => list(base).filter((name) => dead(name, "workshop-check-"))));
  for (const parent of parents) await removeParent(parent);
  const checks = join(storeRoot, "checks");
  for (const name of list(checks).filter((n) => dead(n, ""))) rmSync(join(checks, name), { recursive: true, force: true });
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
