import { useMemo } from "react";
import type { Progress } from "../course/progress.js";
import { STEPS } from "../course/steps.js";
import type { CheckRuns, RunView } from "./check-runs.js";
import { stepStanding, type StepStanding } from "./step-states.js";

/**
 * Every step's standing, from this session's runs of the learner's code (`learnerImpl`; not the
 * reference's) and the saved progress; in instructor mode (`reference`, its directory), from this
 * session's runs of the reference alone, a step it has not run yet marked as such. Apart from
 * step-states.ts, which the plain status uses without loading React.
 */
export function useStandings(checks: CheckRuns, views: ReadonlyMap<string, RunView>, progress: Progress, learnerImpl: string, reference?: string): ReadonlyMap<string, StepStanding> {
  return useMemo(() => {
    const map = new Map<string, StepStanding>();
    for (const s of STEPS) {
      const last = views.get(s.id);
      const total = checks.checksOf(s.id).length;
      if (reference === undefined) map.set(s.id, stepStanding(s, total, progress, last?.impl === learnerImpl ? last : undefined));
      else if (last?.impl === reference && last.outcome === "finished") map.set(s.id, stepStanding(s, total, NOTHING_PASSED, last));
      else map.set(s.id, { state: "not-started", passed: 0, total, unrun: true });
    }
    return map;
  }, [checks, views, progress, learnerImpl, reference]);
}

const NOTHING_PASSED: Progress = { currentStep: "", hintsSeen: {}, passed: {} };
