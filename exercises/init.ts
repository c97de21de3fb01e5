// Bonus step: an init for PID 1 — docs/bonus-init.md
//
// With `container run --init`, the init process does not become the command: it stays PID 1,
// runs the command as its child, passes signals on to it, and reaps every process that ends in
// the container, the orphans it inherits included. When the command ends, so does it.
import type { ChildProcess } from "node:child_process";
import { todo } from "#given";

/**
 * Start the command `argv` as a child of this process, with the environment `env` and our
 * stdin, stdout and stderr. Use `findOnPath` for a command without a slash. (Task 1)
 */
export function startCommand(argv: string[], env: string[]): ChildProcess {
  return todo("startCommand");
}

/** Pass each signal in `signals` that this process receives on to `child`. (Task 2) */
export function forwardSignals(child: ChildProcess, signals: readonly NodeJS.Signals[]): void {
  todo("forwardSignals");
}

/**
 * Reap every child of this process as it ends, orphans included, and resolve once `child` has
 * ended, with the status a shell would report: its exit code, or 128 + N for signal N. (Task 3)
 */
export function reapChildren(child: ChildProcess): Promise<number> {
  return todo("reapChildren");
}
