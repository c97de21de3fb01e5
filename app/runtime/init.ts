// The container's init process: this program re-executed by `container run`, born in the new
// namespaces. It waits for the runtime to finish the host side (cgroup, network), sets up the
// container from the inside, then replaces itself with the container's command.
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import * as native from "#native";
import * as processStep from "#impl/process";
import * as namespacesStep from "#impl/namespaces";
import * as rootfsStep from "#impl/rootfs";
import * as volumesStep from "#impl/volumes";
import * as networkStep from "#impl/network";
import { UserError } from "../errors.js";
import { isNotImplemented, notStarted } from "./not-implemented.js";
import type { InitFailure, InitSpec } from "./spec.js";
import { SyncPipeReader } from "./sync-pipe.js";

const SYNC_FD = 3;

function main(): never {
  // Die with the runtime: if `container run` is killed, so is the container (and, as PID 1, all of it).
  native.prctl(native.PR_SET_PDEATHSIG, 9);
  // Our end of the pipe must block (we read it synchronously) and must not survive execve:
  // the runtime takes end-of-file on it as "the command started".
  native.fcntl(SYNC_FD, native.F_SETFL, native.fcntl(SYNC_FD, native.F_GETFL) & ~native.O_NONBLOCK);
  native.fcntl(SYNC_FD, native.F_SETFD, native.FD_CLOEXEC);
  // The spec arrives once the host side is ready: it is also the signal to go on.
  const line = new SyncPipeReader(SYNC_FD).readLine();
  if (line === undefined) process.exit(125);
  return setUp(JSON.parse(line) as InitSpec);
}

function setUp(spec: InitSpec): never {
  const { rootfs } = spec;
  step(3, "makeMountsPrivate", () => rootfsStep.makeMountsPrivate());
  step(2, "setHostname", () => namespacesStep.setHostname(spec.hostname));
  if (spec.network !== "host") {
    optionalStep(6, "configureContainerNetwork", "the container has no network", () => networkStep.configureContainerNetwork(spec.bridge));
  }
  if (spec.overlay) {
    const { layers, upper, work } = spec.overlay;
    step(7, "mountOverlay", () => rootfsStep.mountOverlay(layers, upper, work, rootfs));
  }
  if (spec.volumes.length) step(5, "mountVolumes", () => volumesStep.mountVolumes(rootfs, spec.volumes));
  bindEtcFiles(rootfs, spec.etcFiles);
  step(3, "mountProc", () => rootfsStep.mountProc(rootfs));
  step(3, "mountDev", () => rootfsStep.mountDev(rootfs));
  step(3, "mountSys", () => rootfsStep.mountSys(rootfs));
  if (spec.pivotRoot) step(7, "pivotRoot", () => rootfsStep.pivotRoot(rootfs));
  else step(3, "changeRoot", () => rootfsStep.changeRoot(rootfs));
  enterWorkingDir(spec.cwd);
  return processStep.execCommand(spec.command, spec.env);
}

/** Runs one function of the implementation; a failure names it, so the learner knows where to look. */
function step(n: number, name: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (isNotImplemented(error) || error instanceof UserError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`${name}() (step ${n}) failed: ${message}`, undefined, 125, { cause: error });
  }
}

/** Steps 4-6 can be done in any order: until this one is, the container runs without it. */
function optionalStep(n: number, name: string, without: string, run: () => void): void {
  try {
    step(n, name, run);
  } catch (error) {
    if (!isNotImplemented(error)) throw error;
    process.stderr.write(`container: step ${n} is not done yet (${name}): ${without}\n`);
  }
}

/** The runtime wrote these files for this container; binding them leaves the image untouched. */
function bindEtcFiles(rootfs: string, files: InitSpec["etcFiles"]): void {
  const etc = join(rootfs, "etc");
  if (!existsSync(etc)) mkdirSync(etc, { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    const target = join(etc, name);
    if (!existsSync(target)) closeSync(openSync(target, "w"));
    native.mount(source, target, null, native.MS_BIND);
  }
}

function enterWorkingDir(cwd: string): void {
  if (!existsSync(cwd)) mkdirSync(cwd, { recursive: true });
  native.chdir(cwd);
}

function toFailure(error: unknown): InitFailure {
  const stack = error instanceof Error ? error.stack : undefined;
  if (isNotImplemented(error)) {
    const e = notStarted(error);
    return { message: e.message, hint: e.hint, exitCode: 125, stack };
  }
  if (error instanceof native.SyscallError && error.call === "execve") {
    const command = String(error.args[0]);
    if (error.code === "ENOENT") {
      return { message: `cannot run "${command}": no such file in the container`, hint: "check the command's name and the image's PATH", exitCode: 127, stack };
    }
    if (error.code === "EACCES") {
      return { message: `cannot run "${command}": it is not executable`, hint: "make it executable in the image, or run it through its interpreter", exitCode: 126, stack };
    }
  }
  if (error instanceof UserError) return { message: error.message, hint: error.hint, exitCode: error.exitCode, stack };
  return { message: error instanceof Error ? error.message : String(error), exitCode: 125, stack };
}

try {
  main();
} catch (error) {
  const failure = toFailure(error);
  try {
    writeSync(SYNC_FD, `${JSON.stringify(failure)}\n`);
  } catch {
    process.stderr.write(`container: ${failure.message}\n`);
  }
  process.exit(failure.exitCode);
}
