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

/**
 * The step to offer once `current` is done: the next one not done in course order (wrapping
 * round, so a skipped step is not forgotten), the six steps before the bonus ones. From the
 * introduction or the outro, which are not steps: the first one not done.
 */
export function nextStep(current: string, done: (step: Step) => boolean): Step | undefined {
  const index = STEPS.findIndex((s) => s.id === current);
  const rotated = index < 0 ? [...STEPS] : [...STEPS.slice(index + 1), ...STEPS.slice(0, index)];
  return rotated.find((s) => !s.bonus && !done(s)) ?? rotated.find((s) => !done(s));
}
