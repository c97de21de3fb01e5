/**
 * What the app lists, in course order: the introduction, steps 1-6, the outro, then the bonus
 * steps. The cursor and the open entry are positions and ids in this list.
 */
import { findReading, findStep, INTRODUCTION_PAGE, OUTRO_PAGE, STEPS, type Reading, type Step } from "../course/steps.js";

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
