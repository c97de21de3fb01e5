/**
 * What the app needs from the checks: the list of a step's checks, and a run of them that streams
 * results and can be cancelled. The app takes it as a dependency so tests can drive it with a
 * scripted runner; `openApp` passes the real one from app/checks.
 */
import type { CheckInfo, CheckResult, RunOptions } from "../checks/types.js";

export type { CheckInfo, CheckResult, CheckStatus, RunOptions } from "../checks/types.js";

export interface Runner {
  checksOf(stepId: string): CheckInfo[];
  runStep(stepId: string, options: RunOptions): Promise<CheckResult[]>;
}
