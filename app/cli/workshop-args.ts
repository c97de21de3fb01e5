// What the workshop's commands share: where the course is, where output goes, and the step argument.
import { findStep, STEPS, type Step } from "../course/steps.js";
import { UserError } from "../errors.js";
import { parseOptions, type OptionSpec, type Parsed } from "./options.js";

/** The step a command names, or a usage error (exit 2) that lists the steps there are. */
export function stepArgument(id: string | undefined, usage: string): Step {
  if (id === undefined) throw new UserError("which step?", `usage: workshop ${usage} (steps: ${STEPS.map((s) => s.id).join(", ")})`, 2);
  const step = findStep(id);
  if (!step) throw new UserError(`there is no step "${id}"`, `the steps are ${STEPS.map((s) => s.id).join(", ")}`, 2);
  return step;
}

/** The options of `workshop COMMAND`, anywhere among its arguments; a mistake there is a usage error (exit 2). */
export function parseArgs(args: string[], specs: OptionSpec[], command: string): Parsed {
  try {
    return parseOptions(args, specs, command, false, "workshop");
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.message, error.hint, 2);
    throw error;
  }
}

/** Where a command works: the repository (exercises/, solutions/, docs/, .workshop/) and its output. */
export interface Workspace {
  repo: string;
  out: NodeJS.WritableStream;
}
