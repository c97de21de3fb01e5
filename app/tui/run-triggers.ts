/**
 * When the checks run: on opening a step, on switching between the learner's code and the
 * reference, once the doctor has found nothing blocking, on each save, and on r and a. Never on
 * the introduction or the outro, nor while something blocks the course or the app is quitting.
 * The learner's code is type-checked with each of its runs.
 */
import { useEffect, useRef } from "react";
import { findStep, STEPS } from "../course/steps.js";
import { blockers, type Finding } from "../doctor/index.js";
import type { CheckRuns } from "./check-runs.js";
import { useLatest } from "./latest.js";
import type { TypeChecks } from "./type-checks.js";
import type { Ui } from "./ui-state.js";
import type { Watch } from "./watch.js";

export interface RunTriggers {
  checks: CheckRuns;
  types: TypeChecks;
  /** The state as drawn, and as the last key left it. */
  ui: Ui;
  latestUi: { readonly current: Ui };
  update(change: Partial<Ui>): void;
  /** The learner's implementation directory and the reference's (instructor mode runs it). */
  impl: string;
  solutions: string;
  /** Undefined until the doctor has looked. */
  findings?: Finding[];
  watch?: Watch;
}

export function useRunTriggers({ checks, types, ui, latestUi, update, impl, solutions, findings, watch }: RunTriggers): { rerun(why?: string): void; runAll(): void } {
  const canRun = () => findings !== undefined && blockers(findings).length === 0 && !latestUi.current.quitting;
  const implNow = () => (latestUi.current.instructor ? solutions : impl);
  // Beside each run of the learner's code, not the reference's.
  const checkTypes = () => {
    if (!latestUi.current.instructor) types.request(impl);
  };
  // Counts the requests: a run of every step that ends after another request says nothing.
  const requests = useRef(0);
  const rerun = (why?: string) => {
    // The introduction and the outro have nothing to check.
    if (!canRun() || !findStep(latestUi.current.openId)) return;
    requests.current++;
    update({ trigger: why, checksScroll: 0, overview: false });
    void checks.start(latestUi.current.openId, implNow());
    checkTypes();
  };
  const runAll = () => {
    if (!canRun()) return;
    const request = ++requests.current;
    update({ trigger: "every step in turn", checksScroll: 0, overview: false });
    checkTypes();
    void checks
      .startAll(
        STEPS.map((s) => s.id),
        implNow(),
      )
      .then((complete) => complete && request === requests.current && update({ overview: true }));
  };
  const latestRerun = useLatest(rerun);
  const activeImpl = ui.instructor ? solutions : impl;
  useEffect(() => rerun(), [ui.openId, activeImpl, findings]);
  useEffect(() => watch?.(activeImpl, (file) => latestRerun.current(`saved ${file}`)), [activeImpl, watch]);
  return { rerun, runAll };
}
