// Step 1: process creation — docs/01-process.md
//
// `container run` re-executes this program as the container's init process. You write how it is
// started, how we wait for it, and how init finally becomes the container's command.
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { join } from "node:path";
import type { InitCommand } from "#contract";
import { todo } from "./todo.js";

/**
 * Start the init process: run `init.command` with `init.args` and `init.env`.
 * Its stdin, stdout and stderr must be ours; its fd 3 must be a pipe back to us.
 * (Task 1 in docs/01-process.md)
 */
export function spawnInit(init: InitCommand): ChildProcess {
  return todo(1, "spawnInit", "docs/01-process.md, Task 1");
}

/**
 * Resolve with the exit status a shell would report: the exit code, or 128 + N when the
 * process was killed by signal N. (Task 2)
 */
export function waitForExit(child: ChildProcess): Promise<number> {
  return todo(1, "waitForExit", "docs/01-process.md, Task 2");
}

/**
 * In the init process: replace this process with the container's command, `argv`, with the
 * environment `env`. Use `findOnPath` below for a command without a slash. (Task 3)
 */
export function execCommand(argv: string[], env: string[]): never {
  return todo(1, "execCommand", "docs/01-process.md, Task 3");
}

/**
 * Given: PATH lookup the way a shell does it. Returns the first executable file named `name` in
 * the PATH from `env`, or the first such file that is not executable, or undefined.
 * It uses synchronous fs calls on purpose: see "Pitfalls" in docs/01-process.md.
 */
export function findOnPath(name: string, env: string[]): string | undefined {
  const pathVar = env.find((e) => e.startsWith("PATH="))?.slice(5) ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  let firstFound: string | undefined;
  for (const dir of pathVar.split(":")) {
    const candidate = join(dir || ".", name);
    try {
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue;
    }
    firstFound ??= candidate;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // present but not executable: keep looking
    }
  }
  return firstFound;
}
