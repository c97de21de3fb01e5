/**
 * How a step's checks are written. A probe starts one or more containers in a sandbox of its own
 * and returns what it saw; each of its checks judges one aspect of that. Several checks share a
 * probe where they watch the same run, which keeps a step's checks fast.
 */
import { docFor as pageOf, findStep } from "../course/steps.js";
import type { Leftover, ProbeContext } from "./probe-context.js";

export type Verdict = { status: "pass" | "fail" | "not-started"; message?: string };

export const pass = (message?: string): Verdict => ({ status: "pass", message });
export const fail = (message: string): Verdict => ({ status: "fail", message });
export const notStarted = (message: string): Verdict => ({ status: "not-started", message });

/** What a run can leave behind that it should not. */
export type LeftoverKind = "process" | "cgroup" | "interface" | "mount";

export interface CheckDef<T> {
  /** The id without the step: "hostname-inside" becomes "2.hostname-inside". */
  name: string;
  title: string;
  /** The step's functions this check exercises (default: all of them): a TODO there means not started. */
  needs?: string[];
  /** Time limit of the probe this check is part of (default 10 s; the probe takes its checks' longest). */
  timeoutMs?: number;
  /** `left`: what the run left behind that this check answers for (see StepChecks.blame). */
  judge(seen: T, left: Leftover[]): Verdict;
}

export interface Probe<T> {
  run(context: ProbeContext): Promise<T>;
  checks: CheckDef<T>[];
}

export interface StepChecks {
  step: string;
  probes: Probe<never>[];
  /**
   * The check that answers for each kind of leftover, whichever probe left it (every probe runs
   * the same cleanup code, so one check says it once). Other kinds fail every check of the probe.
   */
  blame?: Partial<Record<LeftoverKind, string>>;
  /** Images or other things the step's probes need in the store, made once before they start. */
  prepare?(root: string): Promise<void>;
}

/** Lets probes with different observations share one list. */
export function probe<T>(definition: Probe<T>): Probe<never> {
  return definition as unknown as Probe<never>;
}

/** Where to read about a function of step `stepId`: "docs/02-namespaces.md, Task 3". */
export function docFor(stepId: string, func?: string): string {
  const step = findStep(stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return pageOf(step, func);
}

/** The first line of `text`, or a placeholder when it is empty: for quoting output in a message. */
export function firstLine(text: string): string {
  return text.trim().split("\n")[0] || "(nothing)";
}
