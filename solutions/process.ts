// Step 1: process creation. The parent re-executes this program as the container's init
// process, shares its terminal with it, and reports how it ended.
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { constants as os } from "node:os";
import { join } from "node:path";
import { execve } from "#native";
import type { InitCommand } from "#contract";

export function spawnInit(init: InitCommand): ChildProcess {
  // fds 0-2 are shared, so the container reads our stdin and writes straight to our stdout;
  // fd 3 is a private pipe the runtime uses to hand the init process its spec and say "go".
  return spawn(init.command, init.args, { stdio: ["inherit", "inherit", "inherit", "pipe"], env: init.env });
}

export function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      // A shell reports death by signal N as 128 + N (137 for SIGKILL).
      resolve(signal ? 128 + os.signals[signal] : (code ?? 0));
    });
  });
}

export function execCommand(argv: string[], env: string[]): never {
  const [name] = argv;
  if (!name) throw new Error("no command to run: the image has no Cmd or Entrypoint and none was given");
  const path = name.includes("/") ? name : findOnPath(name, env);
  // Not found on PATH: execve the bare name anyway, so the error is the kernel's ENOENT (exit 127).
  return execve(path ?? name, argv, env);
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
