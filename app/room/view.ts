/**
 * The room as people read it: a row per learner (stuck ones first), the room's summary, and the
 * `--status --json` report. Derived from the state on each draw; nothing here is kept.
 */
import { STEPS } from "../course/steps.js";
import type { Learner, RoomState } from "./state.js";

export interface LearnerRow {
  id: string;
  name: string;
  step: string;
  passed: number;
  total: number;
  /** The first failing check of the current step's latest run, and its failure's first line. */
  failing?: string;
  failure?: string;
  onStepMs: number;
  seenAgoMs: number;
  connected: boolean;
  finished: boolean;
}

export const SORTS = ["stuck", "name", "step", "seen"] as const;
export type SortKey = (typeof SORTS)[number];
export const FILTERS = ["all", "failing", "offline"] as const;
export type Filter = (typeof FILTERS)[number];

const REQUIRED = STEPS.filter((s) => !s.bonus).map((s) => s.id);
const stepOrder = (id: string) => {
  const index = ["intro", ...STEPS.map((s) => s.id), "outro"].indexOf(id);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
};

export function learnerRow(learner: Learner, now: number): LearnerRow {
  const results = Object.hasOwn(learner.results, learner.step) ? learner.results[learner.step] : undefined;
  const failing = results?.checks.find((c) => c.status === "fail" || c.status === "error")?.id;
  const line = results?.failure && results.failure.check === failing ? results.failure.line : undefined;
  return {
    id: learner.id,
    name: learner.name,
    step: learner.step,
    passed: results?.checks.filter((c) => c.status === "pass").length ?? 0,
    total: results?.checks.length ?? 0,
    ...(failing ? { failing } : {}),
    ...(line ? { failure: line } : {}),
    onStepMs: Math.max(0, now - learner.stepSince),
    seenAgoMs: Math.max(0, now - learner.lastSeen),
    connected: learner.connections > 0,
    finished: REQUIRED.every((id) => learner.done.includes(id)),
  };
}

/** The rows sorted by `key`; "stuck": failing first, the longest on their step first, finished last. */
export function learnerRows(state: RoomState, now: number, key: SortKey = "stuck", filter: Filter = "all"): LearnerRow[] {
  const rows = [...state.learners.values()].map((l) => learnerRow(l, now)).filter((r) => (filter === "failing" ? r.failing : filter === "offline" ? !r.connected : true));
  const byName = (a: LearnerRow, b: LearnerRow) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const compare: Record<SortKey, (a: LearnerRow, b: LearnerRow) => number> = {
    stuck: (a, b) => rank(a) - rank(b) || b.onStepMs - a.onStepMs || byName(a, b),
    name: byName,
    step: (a, b) => stepOrder(a.step) - stepOrder(b.step) || byName(a, b),
    seen: (a, b) => b.seenAgoMs - a.seenAgoMs || byName(a, b),
  };
  return rows.sort(compare[key]);
}

/** 0 failing, 1 working (nothing failing yet), 2 finished. */
function rank(row: LearnerRow): number {
  if (row.finished) return 2;
  return row.failing ? 0 : 1;
}

export interface RoomSummary {
  /** How many learners are on each step, in course order. */
  perStep: { step: string; learners: number }[];
  /** The check that fails for the most learners right now (on their current step). */
  mostFailed?: { check: string; learners: number };
  finished: string[];
}

export function roomSummary(state: RoomState, now: number): RoomSummary {
  const rows = [...state.learners.values()].map((l) => learnerRow(l, now));
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  };
  const perStep = [...count(rows.map((r) => r.step))].map(([step, learners]) => ({ step, learners })).sort((a, b) => stepOrder(a.step) - stepOrder(b.step));
  const failed = [...count(rows.flatMap((r) => (r.failing ? [r.failing] : [])))].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return {
    perStep,
    ...(failed ? { mostFailed: { check: failed[0], learners: failed[1] } } : {}),
    finished: rows.filter((r) => r.finished).map((r) => r.name).sort(),
  };
}

/** `workshop room --status URL --json`: the room once, for scripts. */
export function statusReport(state: RoomState, now: number) {
  return {
    learners: learnerRows(state, now).map((r) => ({
      name: r.name,
      step: r.step,
      passed: r.passed,
      total: r.total,
      failing: r.failing ?? null,
      connected: r.connected,
      finished: r.finished,
    })),
    summary: roomSummary(state, now),
  };
}
