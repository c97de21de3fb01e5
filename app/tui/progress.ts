import { useEffect, useRef, useState } from "react";
import { loadProgress, saveProgress, type Progress } from "../course/progress.js";
import type { CheckRuns } from "./check-runs.js";
import { useLatest } from "./latest.js";

/**
 * The saved progress as React state: every change is written to the file straight away. The ref
 * holds the latest progress for code that runs between renders (keys, finished runs). A file that
 * cannot be written (a repository owned by root, the app run without sudo) costs the saving, not
 * the session: `saveError` says why.
 */
export function useProgress(file: string) {
  const [progress, setProgress] = useState(() => loadProgress(file));
  const [saveError, setSaveError] = useState<string>();
  const latest = useRef(progress);
  const update = (change: (p: Progress) => Progress) => {
    latest.current = change(latest.current);
    try {
      saveProgress(file, latest.current);
      setSaveError(undefined);
    } catch (error) {
      setSaveError(`your progress is not saved: ${(error as Error).message}`);
    }
    setProgress(latest.current);
  };
  return { progress, update, latest: latest as { readonly current: Progress }, saveError };
}

/**
 * Keeps what the learner's own runs passed in their progress, in the order of the step's checks
 * (not the order they finished in). Runs of the reference solution (instructor mode) do not count.
 */
export function useRecordedPasses(checks: CheckRuns, learnerImpl: string, update: (change: (p: Progress) => Progress) => void): void {
  const latestUpdate = useLatest(update);
  useEffect(
    () =>
      checks.onFinished((run) => {
        if (run.impl !== learnerImpl) return;
        const order = checks.checksOf(run.stepId).map((c) => c.id);
        const passed = run.results.filter((r) => r.status === "pass").map((r) => r.id);
        passed.sort((a, b) => order.indexOf(a) - order.indexOf(b));
        latestUpdate.current((p) => ({ ...p, passed: { ...p.passed, [run.stepId]: passed } }));
      }),
    [checks, learnerImpl],
  );
}
