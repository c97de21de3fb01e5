// `workshop solution STEP [--diff]`: the reference code of the step's functions, from solutions/,
// or the difference between the learner's module and the reference one.
import { join } from "node:path";
import { UserError } from "../errors.js";
import { moduleDiff, shownPath, stepSolution } from "../tui/solution.js";
import { parseArgs, stepArgument, type Workspace } from "./workshop-args.js";

export async function solutionCommand(args: string[], { repo, out }: Workspace): Promise<number> {
  const parsed = parseArgs(args, [{ names: ["--diff"], value: false }], "solution");
  const [stepId, ...extra] = parsed.positionals;
  const step = stepArgument(stepId, "solution STEP [--diff]");
  if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"`, "usage: workshop solution STEP [--diff]", 2);
  if (!parsed.options.has("--diff")) {
    for (const { file, code } of stepSolution(join(repo, "solutions"), step)) {
      out.write(`// ${shownPath(repo, file)}: ${step.functions.join(", ")}\n\n${code}\n\n`);
    }
    return 0;
  }
  for (const module of step.modules) {
    const mine = join(repo, "exercises", module);
    const diff = await moduleDiff(repo, mine, join(repo, "solutions", module));
    out.write(diff || `${shownPath(repo, mine)} is the same as the reference.\n`);
  }
  return 0;
}
