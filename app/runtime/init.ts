// The container's init process: this program re-executed by `container run`, born in the new
// namespaces. It waits for the runtime to finish the host side (cgroup, network), sets up the
// container from the inside, then replaces itself with the container's command.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
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

/**
 * Sets the container up with whatever the implementation has done so far: a step still a TODO is
 * skipped (step 1 alone runs the command as a plain child process), and the runtime refuses to
 * mount or set a hostname outside namespaces of the container's own, so that an unfinished or
 * mistaken step can never change the host.
 */
function setUp(spec: InitSpec): never {
  const { rootfs } = spec;
  const own = (ns: keyof InitSpec["hostNamespaces"]) => statSync(`/proc/self/ns/${ns}`).ino !== spec.hostNamespaces[ns];

  if (own("uts")) attempt(2, "setHostname", () => namespacesStep.setHostname(spec.hostname));
  else if (spec.namespaced) warn("the init process shares the host's UTS namespace (is CLONE_NEWUTS in namespaceFlags?): not setting the hostname");

  if (spec.network !== "host" && own("net")) {
    if (!attempt(6, "configureContainerNetwork", () => networkStep.configureContainerNetwork(spec.bridge)) && spec.bridge) {
      warn("step 6 is not done yet (configureContainerNetwork): the container has no network");
    }
  }

  let rooted = false;
  if (!own("mnt")) {
    if (spec.namespaced) warn("the init process shares the host's mount namespace (is CLONE_NEWNS in namespaceFlags?): running on the host's filesystem");
  } else if (attempt(3, "makeMountsPrivate", () => rootfsStep.makeMountsPrivate())) {
    refuseSharedMounts();
    const { overlay, volumes } = spec;
    if (overlay) {
      neededFor("--overlay", "the overlayfs bonus step", "docs/bonus-overlayfs.md", 7, "mountOverlay", () =>
        rootfsStep.mountOverlay(overlay.layers, overlay.upper, overlay.work, rootfs),
      );
    }
    if (volumes.length) neededFor("-v", "step 5", "docs/05-volumes.md", 5, "mountVolumes", () => volumesStep.mountVolumes(rootfs, volumes));
    bindEtcFiles(rootfs, spec.etcFiles);
    attempt(3, "mountProc", () => rootfsStep.mountProc(rootfs));
    attempt(3, "mountDev", () => rootfsStep.mountDev(rootfs));
    attempt(3, "mountSys", () => rootfsStep.mountSys(rootfs));
    if (spec.pivotRoot) {
      neededFor("--pivot-root", "the pivot_root bonus step", "docs/bonus-pivot-root.md", 7, "pivotRoot", () => rootfsStep.pivotRoot(rootfs));
      rooted = true;
    } else {
      rooted = attempt(3, "changeRoot", () => rootfsStep.changeRoot(rootfs));
    }
  }
  if (rooted) enterWorkingDir(spec.cwd);
  return processStep.execCommand(spec.command, spec.env);
}

/**
 * Runs one function of the implementation: false if it is still a TODO. Any other failure
 * names the function, so the learner knows where to look.
 */
function attempt(n: number, name: string, run: () => void): boolean {
  try {
    run();
    return true;
  } catch (error) {
    if (isNotImplemented(error)) return false;
    if (error instanceof UserError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`${name}() (step ${n}) failed: ${message}`, undefined, 125, { cause: error });
  }
}

/** A function an option the user gave depends on: while it is a TODO, stop rather than run without it. */
function neededFor(option: string, step: string, doc: string, n: number, name: string, run: () => void): void {
  if (!attempt(n, name, run)) throw new UserError(`${step} is not done yet: ${name}() is still a TODO, so ${option} cannot work`, `read ${doc}, or run without ${option}`);
}

/** After makeMountsPrivate(), no mount may still propagate: what we mount next would appear on the host. */
function refuseSharedMounts(): void {
  const shared = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => / shared:\d+/.test(line.split(" - ")[0] ?? ""))
    .map((line) => line.split(" ")[4]);
  if (shared.length) {
    throw new UserError(
      `after makeMountsPrivate(), ${shared.length} mount(s) still propagate to the host (${shared.slice(0, 3).join(", ")}${shared.length > 3 ? ", ..." : ""}): refusing to mount anything`,
      "make every mount private, recursively: see docs/03-rootfs.md, Task 1",
    );
  }
}

function warn(line: string): void {
  process.stderr.write(`container: ${line}\n`);
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
