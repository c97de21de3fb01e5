// Step 1: process creation — docs/01-process.md
//
// `container run` re-executes this program as the container's init process. You write how it is
// started, how we wait for it, and how init finally becomes the container's command.
import type { ChildProcess } from "node:child_process";
import type { InitCommand } from "#contract";
import { todo } from "#given";

/**
 * Start the init process: run `init.command` with `init.args` and `init.env`.
 * Its stdin, stdout and stderr must be ours; its fd 3 must be a pipe back to us.
 * (Task 1 in docs/01-process.md)
 */
export function spawnInit(init: InitCommand): ChildProcess {
  return todo("spawnInit");
}

/**
 * Resolve with the exit status a shell would report: the exit code, or 128 + N when the
 * process was killed by signal N. (Task 2)
 */
export function waitForExit(child: ChildProcess): Promise<number> {
  return todo("waitForExit");
}

/**
 * In the init process: replace this process with the container's command, `argv`, with the
 * environment `env`. Use `findOnPath` below for a command without a slash. (Task 3)
 */
export function execCommand(argv: string[], env: string[]): never {
  return todo("execCommand");
}
