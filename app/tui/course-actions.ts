/**
 * What the learner does to their place in the course: open an entry of the list, reveal the
 * open step's next hint. Both act on the state as the previous key left it (keys may arrive
 * together, before React draws again), and keep it in the progress file.
 */
import type { PagePlace, Progress } from "../course/progress.js";
import { findStep } from "../course/steps.js";
import { entryIndex, isStep, type Entry } from "./course-entries.js";
import { readPageIfWritten } from "./open-entry.js";
import { savedScroll, withScroll } from "./scroll-memory.js";
import type { Ui } from "./ui-state.js";

export interface CourseState {
  repo: string;
  latestUi: { readonly current: Ui };
  update(change: Partial<Ui>): void;
  latestProgress: { readonly current: Progress };
  updateProgress(change: (p: Progress) => Progress): void;
  /** Where the open page is, as drawn (undefined while it is a placeholder). */
  place(): PagePlace | undefined;
}

export function courseActions({ repo, latestUi, update, latestProgress, updateProgress, place }: CourseState) {
  const open = (target: Entry) => {
    // A page without checks has nothing but its text: focus it, so that ↓ reads on; a step, the list.
    const focus = { focus: isStep(target) ? ("steps" as const) : ("main" as const) };
    // Another page opens where it was left; the open one, opened again, at its top.
    const leaving = latestUi.current.openId;
    const doc = target.id === leaving ? 0 : savedScroll(latestProgress.current, target.id);
    update({ openId: target.id, cursor: entryIndex(target.id), view: "doc", scroll: { doc, trace: 0, solution: 0, help: 0 }, hscroll: 0, search: undefined, showDiff: false, checkCursor: 0, openedChecks: [], ...focus });
    updateProgress((p) => ({ ...withScroll(p, leaving, place()), currentStep: target.id }));
  };
  /** Saves where the open page is: on quitting. */
  const rememberPlace = () => updateProgress((p) => withScroll(p, latestUi.current.openId, place()));
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
  return { open, revealHint, rememberPlace };
}
