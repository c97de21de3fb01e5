// The container's init process: this program re-executed by `container run`, born in the new
// namespaces. It waits for the runtime to finish the host side (cgroup, network), sets up the
// container from the inside (container-setup.ts), then replaces itself with the container's command.
import { closeSync, existsSync, mkdirSync, readFileSync, statSync, writeSync } from "node:fs";
import * as native from "#native";
import { inRoot } from "#given";
import { stepIdOf } from "../course/steps.js";
import { UserError } from "../errors.js";
import { setUpContainer, type InitHost } from "./container-setup.js";
import { NO_EVENTS, openEventLog, type EventLog } from "./events.js";
import { initSteps } from "./init-steps.js";
import { isNotImplemented, notStarted } from "./not-implemented.js";
import type { InitFailure, InitSpec } from "./spec.js";
import { stepCalls } from "./step-calls.js";
import { SyncPipeReader } from "./sync-pipe.js";

const SYNC_FD = 3;
let events: EventLog = NO_EVENTS;

function main(): Promise<number> {
  // Die with the runtime: if `container run` is killed, so is the container (and, as PID 1, all of it).
  native.prctl(native.PR_SET_PDEATHSIG, 9);
  // Our end of the pipe must block (we read it synchronously) and must not survive execve:
  // the runtime takes end-of-file on it as "the command started".
  native.fcntl(SYNC_FD, native.F_SETFL, native.fcntl(SYNC_FD, native.F_GETFL) & ~native.O_NONBLOCK);
  native.fcntl(SYNC_FD, native.F_SETFD, native.FD_CLOEXEC);
  // The spec arrives once the host side is ready: it is also the signal to go on.
  const line = new SyncPipeReader(SYNC_FD).readLine();
  if (line === undefined) process.exit(125);
  const spec = JSON.parse(line) as InitSpec;
  // Opened before the root changes (the file is the host's); close-on-exec, like every fd Node opens.
  events = openEventLog(spec.eventsFile);
  return setUpContainer(spec, initSteps, stepCalls(events, warn), realHost(spec), events);
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
    cwdInsideRoot() {
      try {
        // Not process.cwd(): Node caches it. getcwd(3) fails (ENOENT) below no root of ours.
        native.getcwd();
        return true;
      } catch {
        return false;
      }
    },
    resetSignals() {
      native.resetSignalDisposition("SIGPIPE");
      native.resetSignalDisposition("SIGXFSZ");
    },
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
  // Without --init, main() never returns: the process became the command. With it, the init
  // process lives on as PID 1 and ends with the command's status.
  main().then((status) => process.exit(status), fail);
} catch (error) {
  fail(error);
}
