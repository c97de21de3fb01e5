/**
 * What a run of every step (a) found: which step to fix first. A step fails when a step it builds
 * on does (every run of step 4 goes through steps 1-3), so the earliest failing step is where to
 * look, and a failing open step is explained by the earliest failing step under it.
 */
import { prerequisites, stepName, STEPS, type Step } from "../course/steps.js";
import type { Mark } from "../format.js";
import type { RunView } from "./check-runs.js";
import { capitalize } from "./panel.js";

export interface Overview {
  mark: Mark;
  text: string;
}

/** `openId`: the open step or page; `runs`: every step's run, as a left them. */
export function overview(openId: string, runs: ReadonlyMap<string, RunView>): Overview {
  const fails = (step: Step) => {
    const run = runs.get(step.id);
    return run?.outcome === "finished" && run.results.some((r) => r.status === "fail" || r.status === "error");
  };
  const failing = STEPS.filter(fails);
  const earliest = failing[0];
  if (!earliest) return { mark: "pass", text: "Every step ran: none fails." };
  const open = failing.find((s) => s.id === openId);
  // Nearest first: the last failing one is the earliest.
  const cause = open && prerequisites(open).filter(fails).at(-1);
  if (open && cause) return { mark: "fail", text: `${capitalize(stepName(open))} fails because ${stepName(cause)} does: fix ${stepName(cause)} first.` };
  const built = failing.filter((s) => prerequisites(s).includes(earliest));
  const on = built.length ? `: ${built.map(stepName).join(", ")} ${built.length > 1 ? "build" : "builds"} on it` : "";
  return { mark: "fail", text: `${capitalize(stepName(earliest))} is the earliest step that fails${on}.` };
}
