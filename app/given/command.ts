import { spawnSync } from "node:child_process";

/** A program the runtime ran failed: its own words (stderr) are kept, since they name the cause. */
export class CommandFailed extends Error {
  override name = "CommandFailed" as const;
  constructor(
    readonly command: string[],
    readonly status: number | null,
    readonly stderr: string,
  ) {
    const said = stderr.trim().split("\n").filter(Boolean).join(" / ");
    super(`\`${command.join(" ")}\` failed: ${said || `exit status ${status}`}`);
  }
}

/** Runs a program (`argv[0]` found on PATH) to its end, with `input` on its stdin; throws CommandFailed unless it exits 0. */
export function runCommand(argv: string[], input = ""): void {
  const [program, ...args] = argv;
  if (!program) throw new Error("runCommand needs a program to run");
  const result = spawnSync(program, args, { input, stdio: ["pipe", "ignore", "pipe"], encoding: "utf8" });
  if (result.error) throw new CommandFailed(argv, null, `cannot run ${program}: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message}`);
  if (result.status !== 0) throw new CommandFailed(argv, result.status, result.stderr);
}

/** Whether a program (`argv[0]` found on PATH) runs and exits 0: for a question (`iptables -C`), or a step whose failure is no error. */
export function commandSucceeds(argv: string[]): boolean {
  try {
    runCommand(argv);
    return true;
  } catch {
    return false;
  }
}

/** Runs `ip` with several commands at once (`ip -batch -`), throwing CommandFailed with ip's own message. */
export function ipBatch(commands: string[]): void {
  runCommand(["ip", "-batch", "-"], `${commands.join("\n")}\n`);
}
