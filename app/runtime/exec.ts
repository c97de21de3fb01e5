// `container exec`, the host side: finds the running container, starts a process in its
// namespaces (spawnInContainer), puts it in its cgroup, and sends it what to run; the process joins
// the rest of the container itself (exec-setup.ts). Its exit status comes back as run's does.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { CAP, type CapabilityName } from "#native";
import { readAbout } from "../course/steps.js";
import { UserError } from "../errors.js";
import { readInitMessages } from "./init-channel.js";
import { guardNamespaces, notReturned } from "./namespace-guard.js";
import { attachTerminal } from "./attach-terminal.js";
import { forwardSignals, initEnvironment, type RunContext } from "./run.js";
import { EXEC_NAMESPACES, type Confinement, type ExecSpec } from "./spec.js";
import { isRunning, processStartTime, StateStore, type ContainerState } from "./state.js";
import { stepCalls } from "./step-calls.js";

/** What exec needs of a run's context: the same program, store and channels. */
export type ExecContext = Pick<RunContext, "impl" | "events" | "eventsFile" | "root" | "initScript" | "warn">;

export interface ExecOptions {
  args: string[];
  tty: boolean;
}

/** Runs a command in the running container `id` and returns its shell-style exit status. */
export async function execInContainer(ctx: ExecContext, id: string, options: ExecOptions): Promise<number> {
  const state = await runningContainer(new StateStore(ctx.root), id);
  if (state.idRange) {
    throw new UserError(
      `container ${state.id} runs with --userns, which container exec cannot join`,
      "joining a user namespace takes a process with one thread, and Node has several: run the command in the container's own shell, or start it without --userns",
    );
  }
  const pid = state.pid as number;
  const calls = stepCalls(ctx.events, (line) => ctx.warn(`container: ${line}`));
  const spec: ExecSpec = {
    kind: "exec",
    pid,
    command: options.args,
    // A started container's state has both (run saves them before it starts the container).
    env: state.env ?? [],
    cwd: state.cwd ?? "/",
    namespaces: Object.fromEntries(EXEC_NAMESPACES.map((ns) => [ns, statSync(`/proc/${pid}/ns/${ns}`).ino])) as ExecSpec["namespaces"],
    root: rootOf(pid),
    confinement: confinementOf(pid),
    tty: options.tty,
    eventsFile: ctx.eventsFile,
  };
  // The container may have ended while we looked: then what we read may be another process's.
  if (processStartTime(pid) !== state.pidStart) throw notRunning(state.id);

  const child = startInContainer(ctx, calls, pid);
  const exited = calls.required("waitForExit", () => ctx.impl.waitForExit(child));
  const pipe = child.stdio[3] as Duplex;
  const terminal = options.tty ? attachTerminal(ctx, calls, child, child.pid as number, pipe) : undefined;
  const failure = readInitMessages(pipe, (fd) => terminal?.take(fd));
  const stopForwarding = forwardSignals(child.pid as number);
  try {
    // In the container's cgroup before it runs anything: its limits hold for what exec starts too.
    const { cgroup } = state;
    if (cgroup) calls.optional("addProcess", "running without the container's resource limits", () => ctx.impl.addProcess(cgroup, child.pid as number));
    pipe.write(`${JSON.stringify(spec)}\n`);
    const [status, failed] = await Promise.all([exited, failure]);
    await terminal?.finished();
    if (failed) throw new UserError(failed.message, failed.hint, failed.exitCode);
    return status;
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    terminal?.close();
    stopForwarding();
  }
}

/**
 * The container `id` (or the one whose id starts with it), running, once its command has started
 * (until then its root may not be in place); else one line saying why not.
 */
async function runningContainer(states: StateStore, id: string): Promise<ContainerState> {
  for (const deadline = Date.now() + STARTING_MS; ; await sleep(20)) {
    const found = states.list().filter((s) => s.id === id || (id.length > 0 && s.id.startsWith(id)));
    if (found.length > 1) throw new UserError(`"${id}" names ${found.length} containers: ${found.map((s) => s.id).join(", ")}`, "give more of the id");
    const [state] = found;
    if (!state) throw new UserError(`no running container ${id}`, "`container ps` lists the running containers and their ids");
    const alive = state.pid !== undefined && processStartTime(state.pid) === state.pidStart;
    // Started and gone: it has exited, and its run is cleaning up. Not started: its run may still be setting it up.
    if (state.started || !isRunning(state)) {
      if (alive && state.started) return state;
      throw notRunning(state.id);
    }
    if (Date.now() > deadline) throw new UserError(`container ${state.id} is still starting`, "try again once its command runs");
  }
}

/** How long exec waits for a container that is starting (a run started just before, in a script). */
const STARTING_MS = 10_000;

function notRunning(id: string): UserError {
  return new UserError(`container ${id} is not running: it has exited`, "`container ps` lists the running containers");
}

/** The process, born in the container's namespaces but for its mount namespace, which it joins itself. */
function startInContainer(ctx: ExecContext, calls: ReturnType<typeof stepCalls>, pid: number): ChildProcess {
  const guard = guardNamespaces();
  let child: ChildProcess | undefined;
  const start = () =>
    (child = spawn(process.execPath, ["--v8-pool-size=1", ctx.initScript], { stdio: ["inherit", "inherit", "inherit", "pipe"], env: initEnvironment() }));
  let failed: unknown;
  try {
    calls.required("spawnInContainer", () => ctx.impl.spawnInContainer(pid, start));
  } catch (error) {
    failed = error;
  }
  const left = guard.restore();
  if (failed || left.namespaces.length || left.cwd) child?.kill("SIGKILL");
  if (left.namespaces.length || left.cwd) throw notReturned(ctx.events, "spawnInContainer", left);
  if (failed) throw failed;
  if (!child || typeof child.pid !== "number") throw new UserError("spawnInContainer() did not call spawn()", `call spawn() once in the container's namespaces and return what it returned (${readAbout("spawnInContainer")})`);
  return child;
}

/** The container's root directory, as its PID 1 has it. */
function rootOf(pid: number): { dev: number; ino: number } {
  const { dev, ino } = statSync(`/proc/${pid}/root/`);
  return { dev, ino };
}

/** What confines the container's PID 1, from its /proc/PID/status, compared with what we hold. */
function confinementOf(pid: number): Confinement {
  const field = (status: string, name: string) => new RegExp(`^${name}:\\s*(\\S+)`, "m").exec(status)?.[1] ?? "";
  const theirs = readFileSync(`/proc/${pid}/status`, "utf8");
  const bounding = BigInt(`0x${field(theirs, "CapBnd")}`);
  const ours = BigInt(`0x${field(readFileSync("/proc/self/status", "utf8"), "CapBnd")}`);
  const names = (Object.keys(CAP) as CapabilityName[]).filter((name) => bounding & (1n << BigInt(CAP[name])));
  return {
    capabilities: bounding === ours ? undefined : names,
    noNewPrivs: field(theirs, "NoNewPrivs") === "1",
    seccomp: field(theirs, "Seccomp") === "2",
  };
}
