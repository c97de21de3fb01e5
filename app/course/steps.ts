/**
 * The course's steps (the table is app/course/step-table.mjs, which the launcher reads too) and
 * what every layer derives from it: names, pages, prerequisites, which step a function belongs to.
 */
import { STEP_TABLE, type StepEntry } from "./step-table.mjs";

export type Step = StepEntry;
export type StepId = (typeof STEP_TABLE)[number]["id"];
/** Every function an implementation writes, across all steps. */
export type StepFunction = (typeof STEP_TABLE)[number]["functions"][number];

export const STEPS: readonly Step[] = STEP_TABLE;

/** The introduction and the outro, which have no checks. */
export const INTRODUCTION = "docs/00-introduction.md";
export const OUTRO = "docs/07-outro.md";

/** A page to read, without checks: the app lists the introduction and the outro around the steps. */
export interface Reading {
  /** Saved as the progress's current step when the learner is on it. */
  id: string;
  title: string;
  doc: string;
}

export const INTRODUCTION_PAGE: Reading = { id: "intro", title: "Introduction", doc: INTRODUCTION };
export const OUTRO_PAGE: Reading = { id: "outro", title: "Outro", doc: OUTRO };

export function findReading(id: string): Reading | undefined {
  return [INTRODUCTION_PAGE, OUTRO_PAGE].find((r) => r.id === id);
}

export function findStep(id: string): Step | undefined {
  return STEPS.find((s) => s.id === id);
}

/** The step whose exercise module has `func`. */
export function stepOf(func: string): Step | undefined {
  return STEPS.find((s) => s.functions.includes(func));
}

/** The id of the step whose module has `func`, for the event channel ("" for a function no step has). */
export function stepIdOf(func: string): string {
  return stepOf(func)?.id ?? "";
}

/** `exercises/<this>`: the file the learner writes for `step`. */
export function moduleFile(step: Step): string {
  return `${step.module}.ts`;
}

/** The step's number, for the six steps of the course; bonus steps have none. */
export function stepNumber(step: Step): string | undefined {
  return step.bonus ? undefined : step.id;
}

/** The step in a sentence: "step 3", "the pivot-root bonus step". */
export function stepName(step: Step): string {
  return step.bonus ? `the ${step.id} bonus step` : `step ${step.id}`;
}

/** The step as a heading: "Step 3 · Mount namespace and root directory", "Bonus · pivot_root". */
export function stepHeading(step: Step): string {
  return step.bonus ? `Bonus · ${step.title}` : `Step ${step.id} · ${step.title}`;
}

/** The step in a list or a pane's title, where space is short: "step 3", "pivot_root". */
export function stepShortName(step: Step): string {
  return step.bonus ? step.title : `step ${step.id}`;
}

/** Where to read about a function: "docs/02-namespaces.md, Task 3" (tasks follow the step's functions). */
export function docFor(step: Step, func?: string): string {
  const task = func === undefined ? -1 : step.functions.indexOf(func);
  return task < 0 ? step.doc : `${step.doc}, Task ${task + 1}`;
}

/** Where to read about one of the steps' functions, wherever it is in the course. */
export function readAbout(func: StepFunction): string {
  const step = stepOf(func);
  return step ? docFor(step, func) : "its step's page";
}

/** Whether other steps build on `step` (1-3): every run of theirs goes through all its functions. */
export function isFoundation(step: Step): boolean {
  return STEPS.some((s) => s.requires.includes(step.id));
}

/** The steps of the course (not bonus) that build on the same ones and can be done in any order: 4-6. */
export const ANY_ORDER: readonly Step[] = STEPS.filter((s) => !s.bonus && !isFoundation(s));

/** "4–6": the steps that can be done in any order, as a range. */
export function anyOrder(dash = "–"): string {
  return `${ANY_ORDER[0]?.id}${dash}${ANY_ORDER.at(-1)?.id}`;
}

/** The steps every run of `step` goes through, nearest first (step 4 needs 3, 2 and 1). */
export function prerequisites(step: Step): Step[] {
  const found: Step[] = [];
  const visit = (id: string) => {
    const s = findStep(id);
    if (!s || found.includes(s)) return;
    found.push(s);
    s.requires.forEach(visit);
  };
  step.requires.forEach(visit);
  return found;
}
