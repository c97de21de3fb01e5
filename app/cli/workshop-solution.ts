// `workshop solution STEP [--diff]`: the reference code of the step's module, from solutions/,
// or the difference between the learner's module and the reference one.
import { join } from "node:path";
import { UserError } from "../errors.js";
import { stepDiff, stepSolution } from "../course/solution.js";
import { shownPath } from "../format.js";
import { moduleFile } from "../course/steps.js";
import { parseArgs, stepArgument, type Workspace } from "./workshop-args.js";

export async function solutionCommand(args: string[], { repo, out }: Workspace): Promise<number> {
  const parsed = parseArgs(args, [{ names: ["--diff"], value: false }], "solution");
  const [stepId, ...extra] = parsed.positionals;
  const step = stepArgument(stepId, "solution STEP [--diff]");
  if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"`, "usage: workshop solution STEP [--diff]", 2);
  const solutions = join(repo, "solutions");
  if (!parsed.options.has("--diff")) {
    const { file, code } = stepSolution(solutions, step);
    out.write(`// ${shownPath(repo, file)}: ${step.functions.join(", ")}\n\n${code}\n`);
    return 0;
  }
  const diff = await stepDiff(repo, join(repo, "exercises"), solutions, step);
  out.write(diff || `${shownPath(repo, join(repo, "exercises", moduleFile(step)))} is the same as the reference.\n`);
  return 0;
}
