// `workshop doctor [--fix [--yes]]`: what this machine lacks for the course, and with --fix, the
// packages that provide it installed with the machine's package manager.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { UserError } from "../errors.js";
import { parseArgs, type Workspace } from "./workshop-args.js";

const OPTIONS = [
  { names: ["--fix"], value: false },
  { names: ["--yes"], value: false },
];

export async function doctorCommand(args: string[], { out }: Workspace): Promise<number> {
  const parsed = parseArgs(args, OPTIONS, "doctor");
  if (parsed.positionals.length) throw new UserError(`unexpected argument "${parsed.positionals[0]}"`, "usage: workshop doctor [--fix [--yes]]", 2);
  const fix = parsed.options.has("--fix");
  if (parsed.options.has("--yes") && !fix) throw new UserError("--yes goes with --fix", "usage: workshop doctor --fix --yes", 2);
  if (fix) {
    const { fixMachine } = await import("../doctor/fix.js");
    return fixMachine({ yes: parsed.options.has("--yes") }, { out, ask: process.stdin.isTTY ? askOnTerminal : undefined, run: runInTerminal });
  }
  const { runDoctor, formatFindings, blockers, fixOffer } = await import("../doctor/index.js");
  const findings = await runDoctor();
  out.write(formatFindings(findings));
  const offer = fixOffer(findings);
  if (offer) out.write(`${offer}\n`);
  return blockers(findings).length > 0 ? 1 : 0;
}

/** One line from the terminal; Ctrl-C or Ctrl-D answer nothing. */
function askOnTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => {
    terminal.once("SIGINT", () => {
      process.stdout.write("\n");
      terminal.close();
    });
    terminal.once("close", () => resolve(""));
    terminal.question(question, (answer) => {
      resolve(answer);
      terminal.close();
    });
  });
}

/** The package manager talks to the person directly: its progress, and any question it has. */
function runInTerminal([program, ...args]: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, { stdio: "inherit" });
    child.once("error", reject);
    child.once("close", (status) => resolve(status));
  });
}
