// --userns in the container's processes. First the stage: init.cjs started by nsenter as root of
// the new user namespace, which makes the other namespaces from there (the learner's
// unshareOwnedNamespaces) and starts the real init process in them, PID 1 of the new PID
// namespace. Then, in that init process, the idmapped root is attached before anything else.
import { spawn } from "node:child_process";
import { closeSync, writeSync } from "node:fs";
import { constants } from "node:os";
import * as native from "#native";
import { onStopSignals } from "../stop-signals.js";
import type { InitSteps } from "./contract.js";
import type { InitSpec } from "./spec.js";
import type { StepCalls } from "./step-calls.js";

/** The stage's first line on fd 3: the init process's pid, as the host sees it (for its cgroup and veth). */
export interface StageReport {
  init: number;
}

/**
 * In the user namespace: the other namespaces, then the init process with our fds 0-3 (and those
 * the runtime opened for it). We stay, as its parent, to pass on signals and its exit status.
 */
export function runUsernsStage(flags: number, fd: number, impl: Pick<InitSteps, "unshareOwnedNamespaces">, calls: StepCalls): void {
  native.prctl(native.PR_SET_PDEATHSIG, 9);
  calls.neededFor("--userns", "unshareOwnedNamespaces", () => impl.unshareOwnedNamespaces(flags));
  const args = process.argv.slice(1, process.argv.indexOf("--userns-stage"));
  const init = spawn(process.execPath, [...process.execArgv, ...args], { stdio: ["inherit", "inherit", "inherit", fd], env: process.env });
  if (init.pid === undefined) throw new Error(`--userns: the init process could not be started in the new namespaces (${process.execPath})`);
  const report: StageReport = { init: init.pid };
  writeSync(fd, `${JSON.stringify(report)}\n`);
  // The runtime takes the end of fd 3 for "the command started": only init may hold it now.
  closeSync(fd);
  onStopSignals((signal) => init.kill(signal));
  init.on("exit", (code, signal) => process.exit(signal ? 128 + constants.signals[signal] : (code ?? 0)));
}

/** In the init process, first: the fds the runtime opened go no further than us, and the idmapped root is attached. */
export function attachUsernsRoot(spec: InitSpec): void {
  const { userns } = spec;
  if (!userns) return;
  for (const fd of userns.fds) native.fcntl(fd, native.F_SETFD, native.FD_CLOEXEC);
  // In our own mount namespace, over the image's directory: the tree's fd then names the mount's root.
  if (userns.tree !== undefined && userns.attachAt !== undefined) native.moveMount(userns.tree, userns.attachAt);
}
