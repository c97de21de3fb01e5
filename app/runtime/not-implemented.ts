import { UserError } from "../errors.js";

/**
 * The exercises' TODOs throw an error named "NotImplemented" with the step and the function.
 * It is recognised by shape, not by class, so that any implementation directory can throw one.
 */
export interface NotImplementedShape {
  name: "NotImplemented";
  step: number;
  func: string;
  doc: string;
}

export function isNotImplemented(error: unknown): error is NotImplementedShape {
  return error instanceof Error && error.name === "NotImplemented" && typeof (error as Partial<NotImplementedShape>).step === "number";
}

/** The one line a learner sees when the runtime reaches a function they have not written yet. */
export function notStarted(error: NotImplementedShape): UserError {
  return new UserError(`step ${error.step} is not done yet: ${error.func}() is still a TODO`, `read ${error.doc}, then write it in exercises/`, 125, {
    cause: error,
  });
}
