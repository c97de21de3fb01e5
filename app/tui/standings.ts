import { useMemo } from "react";
import type { Progress } from "../course/progress.js";
import { STEPS } from "../course/steps.js";
import type { CheckRuns, RunView } from "./check-runs.js";
import { stepStanding, type StepStanding } from "./step-states.js";

/**
 * Every step's standing, from this session's runs of the learner's code (`learnerImpl`; not the
 * reference's) and the saved progress. Apart from step-states.ts, which the plain status uses
 * without loading React.
 */
export function useStandings(checks: CheckRuns, views: ReadonlyMap<string, RunView>, progress: Progress, learnerImpl: string): ReadonlyMap<string, StepStanding> {
  return useMemo(() => {
    const map = new Map<string, StepStanding>();
    for (const s of STEPS) {
      const last = views.get(s.id);
      map.set(s.id, stepStanding(s, checks.checksOf(s.id).length, progress, last?.impl === learnerImpl ? last : undefined));
    }
    return map;
  }, [checks, views, progress, learnerImpl]);
}
