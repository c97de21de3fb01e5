// Step 1: process creation. The parent re-executes this program as the container's init
// process, shares its terminal with it, and reports how it ended.
import { spawn, type ChildProcess } from "node:child_process";
import { constants as os } from "node:os";
import { execve } from "#native";
import type { InitCommand } from "#contract";
import { findOnPath } from "#given";

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
