/**
 * Without a terminal (piped, in CI, over a dumb connection) the app cannot draw: `openApp` prints
 * where the learner stands instead, and how to run the checks without it.
 */
import type { Progress } from "../course/progress.js";
import { anyOrder, STEPS, findStep, stepNumber, type Step } from "../course/steps.js";
import type { Runner } from "./runner.js";
import { STATE_MARK, stepStanding, type StepStanding } from "./step-states.js";
import { MARK } from "../format.js";

export function plainStatus(progress: Progress, checksOf: Runner["checksOf"]): string {
  const width = Math.max(...STEPS.map((s) => s.title.length));
  const line = (label: string, title: string, standing: StepStanding) => {
    const state =
      standing.state === "done" ? "done" : standing.passed > 0 ? `${standing.passed} of ${standing.total} checks passed` : "not started";
    return `  ${MARK[STATE_MARK[standing.state]].symbol} ${label.padEnd(3)}${title.padEnd(width + 2)}${state}`;
  };
  const required = STEPS.filter((s) => !s.bonus);
  const standings = new Map(STEPS.map((s) => [s.id, stepStanding(s, checksOf(s.id).length, progress)]));
  const row = (s: Step) => line(stepNumber(s) ?? "", s.title, standings.get(s.id) as StepStanding);
  const done = required.filter((s) => standings.get(s.id)?.state === "done").length;
  const current = findStep(progress.currentStep) ?? STEPS[0];
  return [
    `container-workshop: ${done} of ${required.length} steps done`,
    "",
    ...required.map(row),
    `  (steps ${anyOrder(" to ")} can be done in any order)`,
    "",
    "  Bonus",
    ...STEPS.filter((s) => s.bonus).map(row),
    "",
    `The app needs a terminal. Without one, run a step's checks with:`,
    // As root (where sudo may not even be installed), no sudo.
    `  ${process.getuid?.() === 0 ? "" : "sudo "}npx workshop check ${current?.id ?? "1"}`,
    "",
  ].join("\n");
}
