// The container's init process: this program re-executed by `container run`, born in the new
// namespaces. It waits for the runtime to finish the host side (cgroup, network), sets up the
// container from the inside (container-setup.ts), then replaces itself with the container's command.
// `container exec` starts it too, in a running container's namespaces (exec-setup.ts).
import { closeSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";
import * as native from "#native";
import { inRoot } from "#given";
import { stepIdOf } from "../course/steps.js";
import { UserError } from "../errors.js";
import { setUpContainer, type InitHost } from "./container-setup.js";
import { joinContainer, type ExecHost } from "./exec-setup.js";
import { NO_EVENTS, openEventLog, type EventLog } from "./events.js";
import { initSteps } from "./init-steps.js";
import { attachUsernsRoot, runUsernsStage } from "./init-userns.js";
import { isNotImplemented, notStarted } from "./not-implemented.js";
import type { ExecSpec, InitFailure, InitSpec } from "./spec.js";
import { stepCalls } from "./step-calls.js";
import { SyncPipeReader } from "./sync-pipe.js";
import { handOverTerminal } from "./terminal-handover.js";

const SYNC_FD = 3;
let events: EventLog = NO_EVENTS;

function main(): Promise<number> | void {
  // --userns: this is the stage that makes the namespaces, in the user namespace (init-userns.ts).
  const stage = process.argv.indexOf("--userns-stage");
  if (stage >= 0) {
    const eventsFd = process.argv[stage + 2];
    events = eventsFd === undefined ? NO_EVENTS : openEventLog(Number(eventsFd));
    return runUsernsStage(Number(process.argv[stage + 1]), SYNC_FD, initSteps, stepCalls(events, warn));
  }
  // This process holds what the container must not reach: the host's fds (the events and trace
  // files, under --userns the image's host directory), our node, and for exec the host's view
  // while it joins. Not dumpable, the container's processes cannot open its /proc/PID files (fd,
  // exe, root): not while it sets up, nor as the PID 1 that --init keeps beside the command.
  // execve makes the command dumpable again.
  native.prctl(native.PR_SET_DUMPABLE, 0);
  // Die with the runtime: if `container run` is killed, so is the container (and, as PID 1, all of it).
  native.prctl(native.PR_SET_PDEATHSIG, 9);
  // Our end of the pipe must block (we read it synchronously) and must not survive execve:
  // the runtime takes end-of-file on it as "the command started".
  native.fcntl(SYNC_FD, native.F_SETFL, native.fcntl(SYNC_FD, native.F_GETFL) & ~native.O_NONBLOCK);
  native.fcntl(SYNC_FD, native.F_SETFD, native.FD_CLOEXEC);
  // The spec arrives once the host side is ready: it is also the signal to go on.
  const line = new SyncPipeReader(SYNC_FD).readLine();
  if (line === undefined) process.exit(125);
  const spec = JSON.parse(line) as InitSpec | ExecSpec;
  // A session and process group of the container's own. The ones we were born in are those of
  // `container run` and its caller, on the host: kill(0) from inside would signal them all, PID
  // namespace or not. With -t, attachTerminal() makes the session, its terminal's.
  if (!spec.tty) native.setsid();
  // Opened before the root changes (the file is the host's); close-on-exec, like every fd Node opens.
  if ("kind" in spec) {
    events = openEventLog(spec.eventsFile);
    return joinContainer(spec, initSteps, stepCalls(events, warn), execHost(), events);
  }
  events = openEventLog(spec.userns?.events ?? spec.eventsFile);
  attachUsernsRoot(spec);
  return setUpContainer(spec, initSteps, stepCalls(events, warn), realHost(spec), events);
}

/** Where the working directory is: getcwd(3) fails (ENOENT) below no root of ours. Not process.cwd(): Node caches it. */
function cwdInsideRoot(): boolean {
  try {
    native.getcwd();
    return true;
  } catch {
    return false;
  }
}

/**
 * Node opens its own fds close-on-exec, but not what `container` inherited from whoever started it
 * (spawn passes those on): none of it may reach the command. Through /proc/self/fd: it lists this
 * process's fds wherever its root is, once /proc is mounted there.
 */
function closeOtherFds(): void {
  let fds: number[];
  try {
    fds = readdirSync("/proc/self/fd").map(Number);
  } catch {
    return;
  }
  for (const fd of fds.filter((n) => n > 2)) {
    try {
      native.fcntl(fd, native.F_SETFD, native.FD_CLOEXEC);
    } catch {
      // the directory's own fd, closed by now
    }
  }
}

function resetSignals(): void {
  native.resetSignalDisposition("SIGPIPE");
  native.resetSignalDisposition("SIGXFSZ");
}

/** The runtime's own system calls in exec's process, on the real kernel. */
function execHost(): ExecHost {
  return {
    // pid_for_children: where this process's children go, the namespace it was born in (it cannot change its own).
    namespaceInode: (ns) => statSync(`/proc/self/ns/${ns === "pid" ? "pid_for_children" : ns}`).ino,
    root: () => {
      const { dev, ino } = statSync("/");
      return { dev, ino };
    },
    cwdInsideRoot,
    handOverTerminal: (pty) => handOverTerminal(pty, SYNC_FD, events),
    closeOtherFds,
    resetSignals,
  };
}

/** The runtime's own system calls in the init process, on the real kernel. */
function realHost(spec: InitSpec): InitHost {
  return {
    ownNamespace: (ns) => statSync(`/proc/self/ns/${ns}`).ino !== spec.hostNamespaces[ns],
    sharedMounts: () =>
      readFileSync("/proc/self/mountinfo", "utf8")
        .split("\n")
        .filter((line) => / shared:\d+/.test(line.split(" - ")[0] ?? ""))
        .map((line) => line.split(" ")[4] ?? ""),
    bindEtcFiles,
    cwdInsideRoot,
    closeOtherFds,
    resetSignals,
    handOverTerminal: (pty) => handOverTerminal(pty, SYNC_FD, events),
    holdSignals(signals) {
      const held: NodeJS.Signals[] = [];
      const hold = (signal: NodeJS.Signals) => held.push(signal);
      for (const signal of signals) process.on(signal, hold);
      return () => {
        for (const signal of signals) process.off(signal, hold);
        // Sent to ourselves, they reach the handlers forwardSignals() installed (or nothing, as without them).
        for (const signal of held) process.kill(process.pid, signal);
      };
    },
    spawned(child) {
      return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("spawn", resolve);
      });
    },
    commandStarted() {
      // The runtime takes the end of the pipe as "the command started", as after an execve.
      closeSync(SYNC_FD);
    },
    enterWorkingDir(cwd) {
      if (!existsSync(cwd)) mkdirSync(cwd, { recursive: true });
      native.chdir(cwd);
    },
    warn,
  };
}

function warn(line: string): void {
  process.stderr.write(`container: ${line}\n`);
}

/**
 * The runtime wrote these files for this container; binding them leaves the image untouched.
 * Through inRoot: an image whose /etc is a link to a host directory must not get files made there.
 */
function bindEtcFiles(rootfs: string, files: InitSpec["etcFiles"]): void {
  for (const [name, source] of Object.entries(files)) {
    inRoot(rootfs, `/etc/${name}`, { create: "file" }, (target) => native.mount(source, target, null, native.MS_BIND));
  }
}

function toFailure(error: unknown): InitFailure {
  const stack = error instanceof Error ? error.stack : undefined;
  if (isNotImplemented(error)) {
    // execCommand() itself, the last call: the others are reported by the step calls.
    events.emit({ event: "todo", step: stepIdOf(error.func), func: error.func });
    const e = notStarted(error.func);
    return { message: e.message, hint: e.hint, exitCode: 125, stack };
  }
  const notRun = commandNotRun(error);
  if (notRun) {
    const { command, code } = notRun;
    if (code === "ENOENT") {
      return { message: `cannot run "${command}": no such file in the container`, hint: "check the command's name and the image's PATH", exitCode: 127, stack };
    }
    if (code === "EACCES") {
      return { message: `cannot run "${command}": it is not executable`, hint: "make it executable in the image, or run it through its interpreter", exitCode: 126, stack };
    }
  }
  if (error instanceof UserError) return { message: error.message, hint: error.hint, exitCode: error.exitCode, stack };
  return { message: error instanceof Error ? error.message : String(error), exitCode: 125, stack };
}

/** The command that execve (or, with --init, spawn) could not run, and why. */
function commandNotRun(error: unknown): { command: string; code: string } | undefined {
  if (error instanceof native.SyscallError && error.call === "execve") return { command: String(error.args[0]), code: error.code };
  const spawnError = error as NodeJS.ErrnoException | undefined;
  if (spawnError instanceof Error && spawnError.syscall?.startsWith("spawn") && spawnError.code) return { command: spawnError.path ?? "", code: spawnError.code };
  return undefined;
}

function fail(error: unknown): never {
  const failure = toFailure(error);
  try {
    writeSync(SYNC_FD, `${JSON.stringify(failure)}\n`);
  } catch {
    process.stderr.write(`container: ${failure.message}\n`);
  }
  process.exit(failure.exitCode);
}

try {
  // Without --init, main() returns no status: the process became the command (or, as the --userns
  // stage, lives on until the init process it started ends). With --init, the init process lives on
  // as PID 1 and ends with the command's status.
  main()?.then((status) => process.exit(status), fail);
} catch (error) {
  fail(error);
}
