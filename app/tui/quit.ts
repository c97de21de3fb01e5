import { useApp } from "ink";
import { useEffect } from "react";
import type { CheckRuns } from "./check-runs.js";
import { useLatest } from "./latest.js";
import type { Ui } from "./ui-state.js";

/**
 * Quitting, on q or ctrl-c or when `quitSignal` aborts (a signal to the process): say so, stop
 * the checks under way and wait for them to clean up, then leave. `beforeQuit` saves what is
 * kept of the session (the page's place).
 */
export function useQuit(checks: CheckRuns, update: (change: Partial<Ui>) => void, quitSignal?: AbortSignal, beforeQuit?: () => void): () => void {
  const { exit } = useApp();
  const quit = () => {
    beforeQuit?.();
    update({ quitting: true, confirming: false });
    void checks.stop().then(() => exit());
  };
  const latestQuit = useLatest(quit);
  useEffect(() => {
    const onAbort = () => latestQuit.current();
    quitSignal?.addEventListener("abort", onAbort);
    return () => quitSignal?.removeEventListener("abort", onAbort);
  }, [quitSignal]);
  return quit;
}
