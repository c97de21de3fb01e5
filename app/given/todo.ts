/**
 * Every function you still have to write throws this. The workshop recognises it and reports the
 * step as "not started" (and the runtime tells you which function it reached), instead of a crash.
 * Delete the `todo(...)` line when you write the function.
 */
import { readAbout, type StepFunction } from "../course/steps.js";

export class NotImplemented extends Error {
  override name = "NotImplemented" as const;
  constructor(readonly func: StepFunction) {
    super(`${func}() is not written yet: see ${readAbout(func)}`);
  }
}

export function todo(func: StepFunction): never {
  throw new NotImplemented(func);
}
