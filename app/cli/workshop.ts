// The `workshop` command: the course's checks, hints, solutions and resets. With no command it
// says where the learner stands and how to check their work.
import { checksOf } from "../checks/index.js";
import { REPO } from "../checks/repo.js";
import { loadProgress, progressFile } from "../course/progress.js";
import { findStep, STEPS } from "../course/steps.js";
import { describeError, UserError } from "../errors.js";
import { checkCommand } from "./workshop-check.js";
import { hintCommand } from "./workshop-hint.js";
import { resetCommand } from "./workshop-reset.js";
import type { Workspace } from "./workshop-args.js";
import { solutionCommand } from "./workshop-solution.js";

export const USAGE = `Usage: workshop [--debug] [COMMAND]

Commands:
  check [STEP|all] [--impl exercises|solutions|DIR] [--root DIR] [--json]
                        run a step's checks (default: the step you are on) against your
                        runtime in exercises/, or another implementation; needs root
  hint STEP [N]         show hint N of a step (default: the next one you have not seen)
  solution STEP [--diff]
                        show the reference code of a step's functions, or with --diff how
                        your module differs from the reference
  reset STEP            put the step's exercise module back as it was in git (yours is kept
                        in .workshop/backup/)

Steps: ${STEPS.map((s) => s.id).join(", ")}

Exit status: 0 success (check: every check passed); 1 a check did not pass; 2 wrong usage;
125 the workshop could not do it (for example, check without root); 130 interrupted.`;

/**
 * Runs the command line; returns the exit status. Errors are one line (a stack with --debug).
 * `workspace` is for tests: another copy of the course, another output.
 */
export async function main(argv: string[], workspace: Workspace = { repo: REPO, out: process.stdout }): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  // Output piped into `head` may be cut short: that is not an error, and checks under way still
  // finish and clean up after themselves.
  workspace.out.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  try {
    return await dispatch(args, workspace);
  } catch (error) {
    process.stderr.write(`workshop: ${describeError(error)}\n`);
    if (debug && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return error instanceof UserError ? error.exitCode : 125;
  }
}

async function dispatch(args: string[], workspace: Workspace): Promise<number> {
  const [command, ...rest] = args;
  const { out } = workspace;
  switch (command) {
    case undefined:
      out.write(status(workspace.repo));
      return 0;
    case "--help":
    case "-h":
    case "help":
      out.write(`${USAGE}\n`);
      return 0;
    case "check":
      return checkCommand(rest, workspace);
    case "hint":
      return hintCommand(rest, workspace);
    case "solution":
      return solutionCommand(rest, workspace);
    case "reset":
      return resetCommand(rest, workspace);
    default:
      throw new UserError(`unknown command "${command}"`, "see `workshop --help`", 2);
  }
}

/** Where the learner stands: the current step, and each step's checks that passed last time. */
export function status(repo: string): string {
  const progress = loadProgress(progressFile(repo));
  const current = findStep(progress.currentStep) ?? STEPS[0]!;
  const rows = STEPS.map((step) => {
    const total = checksOf(step.id).length;
    const passed = progress.passed[step.id]?.length ?? 0;
    const mark = passed === total ? "✓" : step.id === current.id ? "›" : " ";
    return `  ${mark} ${step.id.padEnd(12)} ${step.title.padEnd(36)} ${passed}/${total}`;
  });
  return [
    `You are on step ${current.id}: ${current.title} (${current.doc}).`,
    "",
    "  checks passed in the last run of each step:",
    ...rows,
    "",
    `Check your work:  sudo npx workshop check ${current.id}`,
    "Everything else:  npx workshop --help",
    "",
  ].join("\n");
}
