/**
 * Every function you still have to write throws this. The workshop recognises it and reports the
 * step as "not started" (and the runtime tells you which function it reached), instead of a crash.
 * Delete the `todo(...)` line when you write the function.
 */
import { docFor, stepOf, type StepFunction } from "../course/steps.js";

export class NotImplemented extends Error {
  override name = "NotImplemented" as const;
  constructor(readonly func: StepFunction) {
    const step = stepOf(func);
    super(`${func}() is not written yet: see ${step ? docFor(step, func) : "its step's page"}`);
  }
}

export function todo(func: StepFunction): never {
  throw new NotImplemented(func);
}
