/**
 * What the learner does to their place in the course: open an entry of the list, reveal the
 * open step's next hint. Both act on the state as the previous key left it (keys may arrive
 * together, before React draws again), and keep it in the progress file.
 */
import type { Progress } from "../course/progress.js";
import { findStep } from "../course/steps.js";
import { entryIndex, isStep, type Entry } from "./course-entries.js";
import { readPageIfWritten } from "./open-entry.js";
import type { Ui } from "./ui-state.js";

export interface CourseState {
  repo: string;
  latestUi: { readonly current: Ui };
  update(change: Partial<Ui>): void;
  latestProgress: { readonly current: Progress };
  updateProgress(change: (p: Progress) => Progress): void;
}

export function courseActions({ repo, latestUi, update, latestProgress, updateProgress }: CourseState) {
  const open = (target: Entry) => {
    // A page without checks has nothing but its text: focus it, so that ↓ reads on; a step, the list.
    const focus = { focus: isStep(target) ? ("steps" as const) : ("main" as const) };
    update({ openId: target.id, cursor: entryIndex(target.id), view: "doc", scroll: { doc: 0, trace: 0, solution: 0, help: 0 }, showDiff: false, checkCursor: 0, openedChecks: [], ...focus });
    updateProgress((p) => ({ ...p, currentStep: target.id }));
  };
  const revealHint = () => {
    const { openId, scroll } = latestUi.current;
    update({ view: "doc" });
    const step = findStep(openId);
    if (!step) return;
    const total = readPageIfWritten(repo, step.doc)?.hints.length ?? 0;
    const seen = latestProgress.current.hintsSeen[step.id] ?? 0;
    if (seen >= total) return;
    updateProgress((p) => ({ ...p, hintsSeen: { ...p.hintsSeen, [step.id]: seen + 1 } }));
    update({ scroll: { ...scroll, doc: { hint: seen } } });
  };
  return { open, revealHint };
}
