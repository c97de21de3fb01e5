/**
 * What the app lists, in course order: the introduction, steps 1-6, the outro, then the bonus
 * steps. The cursor and the open entry are positions and ids in this list.
 */
import { findReading, findStep, INTRODUCTION_PAGE, OUTRO_PAGE, stepName, STEPS, type Reading, type Step } from "../course/steps.js";

export type Entry = Step | Reading;

export const ENTRIES: readonly Entry[] = [INTRODUCTION_PAGE, ...STEPS.filter((s) => !s.bonus), OUTRO_PAGE, ...STEPS.filter((s) => s.bonus)];

/** Where the list says "Bonus": the first bonus step. */
export const FIRST_BONUS = STEPS.find((s) => s.bonus)?.id;

export function isStep(entry: Entry): entry is Step {
  return "module" in entry;
}

export function findEntry(id: string): Entry | undefined {
  return findStep(id) ?? findReading(id);
}

export function entryIndex(id: string): number {
  return ENTRIES.findIndex((e) => e.id === id);
}

/** The entry in a sentence: "step 3", "the pivot-root bonus step", "the outro". */
export function entryName(entry: Entry): string {
  return isStep(entry) ? stepName(entry) : `the ${entry.title.toLowerCase()}`;
}

/**
 * Where n leads from `current`: the next step not done, forward in course order (the six steps,
 * then the bonus ones); past the last, the outro, which says what is left. From the introduction
 * or the outro: the first step not done, the six before the bonus ones. Undefined from the outro
 * once every step is done.
 */
export function nextEntry(current: string, done: (step: Step) => boolean): Entry | undefined {
  const course = STEPS.filter((s) => !s.bonus);
  const bonus = STEPS.filter((s) => s.bonus);
  const step = findStep(current);
  if (!step) return [...course, ...bonus].find((s) => !done(s)) ?? (current === OUTRO_PAGE.id ? undefined : OUTRO_PAGE);
  const line = step.bonus ? bonus : course;
  return line.slice(line.indexOf(step) + 1).find((s) => !done(s)) ?? OUTRO_PAGE;
}
