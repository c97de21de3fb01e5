// Bonus step: an init for PID 1. With --init the init process stays PID 1: the command runs as
// its child, signals sent to the container reach it, and every process that ends in the container
// is reaped, the orphans the kernel hands to PID 1 included. Docker's --init does this with tini.
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { SyscallError, waitpid, WNOHANG } from "#native";
import { findOnPath } from "#given";

export function startCommand(argv: string[], env: string[]): ChildProcess {
  const [name, ...args] = argv;
  if (!name) throw new Error("no command to run: the image has no Cmd or Entrypoint and none was given");
  // Not found: spawn the bare name anyway, so that the error is ENOENT (exit 127), as with execve.
  const path = name.includes("/") ? name : (findOnPath(name, env) ?? name);
  const environment = Object.fromEntries(env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
  // Node's child starts with every signal at its default: nothing we ignore is ignored there.
  return spawn(path, args, { argv0: name, stdio: "inherit", env: environment });
}

export function forwardSignals(child: ChildProcess, signals: readonly NodeJS.Signals[]): void {
  // A handler of our own is also what lets these signals reach PID 1 at all: the kernel drops
  // the ones PID 1 has no handler for.
  for (const signal of signals) process.on(signal, () => child.kill(signal));
}

export function reapChildren(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const settle = (code: number | null, signal: number | null) => resolve(signal ? 128 + signal : (code ?? 0));
    // Node reaps the command itself when its own SIGCHLD handler gets there first.
    child.once("exit", (code, signal) => settle(code, signal ? constants.signals[signal] : null));
    const reapAll = () => {
      for (;;) {
        let ended;
        try {
          ended = waitpid(-1, WNOHANG);
        } catch (error) {
          if (error instanceof SyscallError && error.code === "ECHILD") return; // no child left
          throw error;
        }
        if (!ended) return; // the rest are still running
        if (ended.pid === child.pid && ended.state === "exited") settle(ended.code, null);
        if (ended.pid === child.pid && ended.state === "killed") settle(null, ended.signal);
      }
    };
    // One SIGCHLD may stand for several children: each time, reap until none is left to reap.
    process.on("SIGCHLD", reapAll);
    reapAll();
  });
}
