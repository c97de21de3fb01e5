// The `workshop` command: with no command, the app; otherwise the course's checks, hints,
// solutions and resets, and the doctor.
import { REPO } from "../build/repo.mjs";
import { STEPS } from "../course/steps.js";
import { reportErrors, UserError } from "../errors.js";
import { checkCommand } from "./workshop-check.js";
import { doctorCommand } from "./workshop-doctor.js";
import { hintCommand } from "./workshop-hint.js";
import { resetCommand } from "./workshop-reset.js";
import { runcCommand } from "./workshop-runc.js";
import { parseArgs, type Workspace } from "./workshop-args.js";
import { joinCommand, leaveCommand, roomCommand, type OpenDashboard } from "./workshop-room.js";
import { solutionCommand } from "./workshop-solution.js";

export const USAGE = `Usage: workshop [--debug] [COMMAND]

  (no command) [--impl exercises|solutions|DIR] [--root DIR] [--instructor] [--projector]
                        open the workshop app: the steps, the course, your checks re-run as you
                        save (without a terminal: where you stand, and how to check your work);
                        --projector: high contrast, roomier, the page the whole width (p in the
                        app; kept for next time)

Commands:
  doctor [--fix [--yes]]
                        check that this machine has what the course needs, and say how to fix
                        what it lacks; --fix installs the packages it lacks with apt-get or dnf
                        (as root), after showing the command and asking (--yes: no question)
  check [STEP|all] [--impl exercises|solutions|DIR] [--root DIR] [--json]
                        run a step's checks (default: the step you are on) against your
                        runtime in exercises/, or another implementation; needs root
  hint STEP [N]         show hint N of a step (default: the next one you have not seen)
  solution STEP [--diff]
                        show the reference code of a step's functions, or with --diff how
                        your module differs from the reference
  reset STEP            put the step's exercise module back as it was in git (yours is kept
                        in .workshop/backup/)
  runc [--image REF] [--exec] [--show FIELD]... [--set FIELD=VALUE]... [-v HOST:CTR[:ro]]... [CMD...]
                        run CMD on the same image with runc, the runtime Docker uses, from a
                        config.json made by \`runc spec\`; --show prints one of its fields,
                        --set changes one (e.g. --set linux.resources.pids.limit=20); --exec
                        runs CMD with \`runc exec\` in a container running sleep; needs root
  join URL --name NAME  share your step and check results (never your code) with the room at
                        URL, from the app and \`workshop check\`, until \`workshop leave\`
  leave                 stop sharing with the room
  room [--port N] [--host ADDRESS] [--state FILE] [--projector]
                        (instructor) open a room on the local network: prints the command
                        learners type, then shows where each one is (without a terminal: one
                        line per event); the room is kept in .workshop/room.json across restarts
  room --status URL [--json]
                        print a room's learners once, for scripts

Steps: ${STEPS.map((s) => s.id).join(", ")}

Exit status: 0 success (check: every check passed); 1 a check did not pass; 2 wrong usage;
125 the workshop could not do it (for example, check without root); 130 interrupted.`;

/** Opens the app (app/tui's openApp) and resolves with its exit status once it is quit. */
export type OpenApp = (options: { repo: string; impl: string; root?: string; instructor?: boolean; projector?: boolean }) => Promise<number>;

/**
 * Runs the command line; returns the exit status. Errors are one line (a stack with --debug).
 * `openApp` comes from the program (app/workshop.ts), so that the CLI imports nothing of the app.
 * `workspace` is for tests: another copy of the course, another output.
 */
export async function main(argv: string[], openApp: OpenApp, workspace: Workspace = { repo: REPO, out: process.stdout }, openDashboard?: OpenDashboard): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  // Output piped into `head` may be cut short: that is not an error, and checks under way still
  // finish and clean up after themselves.
  workspace.out.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  return reportErrors("workshop", debug, () => dispatch(args, workspace, openApp, openDashboard));
}

async function dispatch(args: string[], workspace: Workspace, openApp: OpenApp, openDashboard?: OpenDashboard): Promise<number> {
  const [command, ...rest] = args;
  const { out } = workspace;
  const help = command === "--help" || command === "-h" || command === "help";
  if (command === undefined || (command.startsWith("--") && !help)) return openTheApp(args, workspace, openApp);
  switch (command) {
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
    case "doctor":
      return doctorCommand(rest, workspace);
    case "runc":
      return runcCommand(rest, workspace);
    case "room":
      return roomCommand(rest, workspace, openDashboard);
    case "join":
      return joinCommand(rest, workspace);
    case "leave":
      return leaveCommand(rest, workspace);
    default:
      throw new UserError(`unknown command "${command}"`, "see `workshop --help`", 2);
  }
}

/** `workshop [--impl X] [--root DIR] [--instructor] [--projector]`: the app. */
function openTheApp(args: string[], workspace: Workspace, openApp: OpenApp): Promise<number> {
  const parsed = parseArgs(
    args,
    [
      { names: ["--impl"], value: true },
      { names: ["--root"], value: true },
      { names: ["--instructor"], value: false },
      { names: ["--projector"], value: false },
    ],
    "",
  );
  if (parsed.positionals.length) throw new UserError(`unknown command "${parsed.positionals[0]}"`, "see `workshop --help`", 2);
  return openApp({
    repo: workspace.repo,
    impl: parsed.options.get("--impl")?.at(-1) ?? process.env.WORKSHOP_IMPL ?? "exercises",
    root: parsed.options.get("--root")?.at(-1),
    instructor: parsed.options.has("--instructor"),
    projector: parsed.options.has("--projector"),
  });
}
