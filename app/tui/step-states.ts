/**
 * Where the learner stands on each step: from this session's last complete run of it when there
 * is one, else from the saved progress (the checks that passed last time).
 */
import type { Progress } from "../course/progress.js";
import { STEPS, type Step } from "../course/steps.js";
import type { RunView } from "./check-runs.js";
import type { Mark } from "../format.js";

export type StepState = "not-started" | "failing" | "passing" | "done";

/** How a step's state is drawn (see MARK). */
export const STATE_MARK: Record<StepState, Mark> = { done: "pass", failing: "fail", passing: "partial", "not-started": "not-started" };

export interface StepStanding {
  state: StepState;
  passed: number;
  total: number;
  /** Instructor mode: the reference has not run this step's checks yet, so its state is not known. */
  unrun?: boolean;
}

export function stepStanding(step: Step, total: number, progress: Progress, run?: RunView): StepStanding {
  if (run?.outcome === "finished") {
    const passed = run.results.filter((r) => r.status === "pass").length;
    const failed = run.results.some((r) => r.status === "fail" || r.status === "error");
    return { state: failed ? "failing" : standing(passed, total), passed, total };
  }
  const passed = progress.passed[step.id]?.length ?? 0;
  return { state: standing(passed, total), passed, total };
}

function standing(passed: number, total: number): StepState {
  if (total > 0 && passed >= total) return "done";
  return passed > 0 ? "passing" : "not-started";
}

/** The six steps of the course (not the bonus ones) that are not done yet, in order. */
export function unfinished(standings: ReadonlyMap<string, StepStanding>): Step[] {
  return STEPS.filter((s) => !s.bonus && standings.get(s.id)?.state !== "done");
}
