import { docFor, stepName, stepOf } from "../course/steps.js";
import { UserError } from "../errors.js";

/**
 * The exercises' TODOs throw an error named "NotImplemented" naming the function (app/given/todo.ts).
 * It is recognised by shape, not by class, so that any implementation directory can throw one.
 */
export interface NotImplementedShape {
  name: "NotImplemented";
  func: string;
}

export function isNotImplemented(error: unknown): error is NotImplementedShape {
  return error instanceof Error && error.name === "NotImplemented" && typeof (error as Partial<NotImplementedShape>).func === "string";
}

/** "step 4 is not done yet" and where to read about `func`, for the lines that say a TODO was reached. */
export function notDone(func: string): { what: string; doc: string } {
  const step = stepOf(func);
  return { what: `${step ? stepName(step) : "a step"} is not done yet`, doc: step ? docFor(step, func) : "its step's page" };
}

/** The one line a learner sees when the runtime reaches a function they have not written yet. */
export function notStarted(func: string, cause?: unknown): UserError {
  const { what, doc } = notDone(func);
  return new UserError(`${what}: ${func}() is still a TODO`, `read ${doc}, then write it in exercises/`, 125, { cause });
}
