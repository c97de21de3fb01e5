/**
 * The app's runs of checks: one at a time, the newest request wins. Starting a run cancels the one
 * under way and waits for it to end (the runner removes its containers on abort) before the next
 * begins, so two runs never compete for the machine. Views of the runs are immutable snapshots
 * for React (`useSyncExternalStore`).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describeError } from "../errors.js";
import type { CheckInfo, CheckResult, Runner } from "./runner.js";

export type Outcome = "preparing" | "running" | "finished" | "cancelled" | "compile-error" | "crashed";

export interface RunView {
  stepId: string;
  /** The implementation directory the checks ran against. */
  impl: string;
  outcome: Outcome;
  results: CheckResult[];
  /** The checks under way (the runner runs a few at once). */
  running: string[];
  startedAt: number;
  endedAt?: number;
  /** The compiler's message, or what the runner threw. */
  error?: string;
  traceFile: string;
}

export interface CheckRunsOptions {
  runner: Runner;
  /** Where trace files go; the app removes it when it quits. */
  traceDir: string;
  root?: string;
  /** Gets the implementation ready to run (bundles it), returning the compiler's message if it does not compile. */
  prepare?(impl: string): Promise<string | undefined>;
}

type Snapshot = ReadonlyMap<string, RunView>;

/** Whether the run is still under way: being prepared or running its checks. */
export function underWay(view: RunView | undefined): boolean {
  return view?.outcome === "preparing" || view?.outcome === "running";
}

/**
 * The checks run this much lower in CPU priority than the app (a nice increment): a learner's
 * keys and the app's frames come first. Measured with every step's checks running on 2 cores,
 * key to frame went from 38 – 49 ms to 24 – 31 ms at the median (5 gave ~34 ms).
 */
const CHECKS_NICE = 10;

export class CheckRuns {
  private views: Snapshot = new Map();
  private listeners = new Set<() => void>();
  private finishedListeners = new Set<(run: RunView) => void>();
  private active?: { controller: AbortController; done: Promise<void> };
  private latestRequest = 0;
  private runCount = 0;
  private stopped = false;
  /** Calls of start and startAll under way: idle at 0. */
  private busy = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: CheckRunsOptions) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): Snapshot => this.views;

  /** A step's checks, as the runner lists them. */
  checksOf(stepId: string): CheckInfo[] {
    return this.options.runner.checksOf(stepId);
  }

  /** Calls `listener` with each run that finishes (not one cancelled or that could not run). */
  onFinished(listener: (run: RunView) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  /** Resolves once no run is under way or asked for (at once if none is): what a request led to has happened. */
  whenIdle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Runs a step's checks against `impl`, after cancelling whatever runs. Resolves when this run
   * ends, with how it ended; undefined when a newer request took its place before it started.
   */
  start(stepId: string, impl: string): Promise<Outcome | undefined> {
    return this.whileBusy(async () => {
      if (this.stopped) return undefined;
      const request = ++this.latestRequest;
      while (this.active) await this.cancel();
      // While we waited, a newer request may have come in: it runs instead.
      if (request !== this.latestRequest || this.stopped) return undefined;
      const controller = new AbortController();
      const done = this.run(stepId, impl, controller.signal).finally(() => {
        if (this.active?.controller === controller) this.active = undefined;
      });
      this.active = { controller, done };
      await done;
      return this.views.get(stepId)?.outcome;
    });
  }

  /**
   * Runs every step in turn, until one does not finish (cancelled by another request, or broken
   * code). Resolves with whether every step's run finished.
   */
  startAll(stepIds: readonly string[], impl: string): Promise<boolean> {
    return this.whileBusy(async () => {
      for (const stepId of stepIds) {
        if ((await this.start(stepId, impl)) !== "finished") return false;
      }
      return true;
    });
  }

  /** Cancels the run under way, if any, and resolves once it has cleaned up. */
  async cancel(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.controller.abort();
    await active.done;
  }

  /** Cancels the run under way and starts no other: the app is quitting. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.cancel();
  }

  private async run(stepId: string, impl: string, signal: AbortSignal): Promise<void> {
    const previous = this.views.get(stepId);
    if (previous) rmSync(previous.traceFile, { force: true });
    const traceFile = join(this.options.traceDir, `step-${stepId}-${++this.runCount}.jsonl`);
    this.update({ stepId, impl, outcome: "preparing", results: [], running: [], startedAt: Date.now(), traceFile });

    try {
      const compileError = await this.options.prepare?.(impl);
      if (signal.aborted) return this.end(stepId, "cancelled");
      if (compileError) return this.end(stepId, "compile-error", compileError);
      this.patch(stepId, { outcome: "running" });
      await this.options.runner.runStep(stepId, {
        impl,
        root: this.options.root,
        signal,
        traceFile,
        nice: CHECKS_NICE,
        onStart: (_step, check) => {
          const view = this.views.get(stepId);
          if (view) this.patch(stepId, { running: [...view.running, check.id] });
        },
        onResult: (result) => {
          const view = this.views.get(stepId);
          if (!view) return;
          this.patch(stepId, { results: [...view.results.filter((r) => r.id !== result.id), result], running: view.running.filter((id) => id !== result.id) });
        },
      });
      this.end(stepId, signal.aborted ? "cancelled" : "finished");
    } catch (error) {
      this.end(stepId, signal.aborted ? "cancelled" : "crashed", signal.aborted ? undefined : describeError(error));
    }
  }

  /** Counts `work` as under way from its first line to its end, so that startAll is busy between its steps too. */
  private async whileBusy<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      if (--this.busy === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private end(stepId: string, outcome: Outcome, error?: string): void {
    this.patch(stepId, { outcome, error, running: [], endedAt: Date.now() });
    const view = this.views.get(stepId);
    if (view && outcome === "finished") for (const listener of this.finishedListeners) listener(view);
  }

  private patch(stepId: string, change: Partial<RunView>): void {
    const view = this.views.get(stepId);
    if (view) this.update({ ...view, ...change });
  }

  private update(view: RunView): void {
    this.views = new Map(this.views).set(view.stepId, view);
    for (const listener of this.listeners) listener();
  }
}
