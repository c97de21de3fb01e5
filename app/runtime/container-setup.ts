// What the init process does with the spec, step by step, with whatever the implementation has
// done so far. The runtime's own system calls come through `InitHost`, so that this logic is
// tested without root against a recording fake (tests/runtime/container-setup.test.ts), while
// learners' code runs against the real kernel.
import type { ChildProcess } from "node:child_process";
import { DOCKER_DEFAULT_CAPABILITIES, type CapabilityName } from "#native";
import { readAbout } from "../course/steps.js";
import { UserError } from "../errors.js";
import type { InitSteps, PseudoTerminal } from "./contract.js";
import { takeTerminal } from "./container-terminal.js";
import type { EventLog } from "./events.js";
import type { InitSpec } from "./spec.js";
import { refuse, type StepCalls } from "./step-calls.js";

export type Namespace = keyof InitSpec["hostNamespaces"];

/** What the runtime itself does in the init process, apart from the learner's functions. */
export interface InitHost {
  /** Whether the init process is in a namespace of its own (not the runtime's). */
  ownNamespace(ns: Namespace): boolean;
  /** The mount points that still propagate (shared) in the init process's mount namespace. */
  sharedMounts(): string[];
  /** Binds the runtime's /etc/hostname, hosts and resolv.conf over the image's. */
  bindEtcFiles(rootfs: string, files: InitSpec["etcFiles"]): void;
  /** Whether the working directory is inside the root (false: chroot left it outside, where `..` leads to the host). */
  cwdInsideRoot(): boolean;
  /** Starts the command in `cwd`, once the root is the container's. */
  enterWorkingDir(cwd: string): void;
  /** -t: checks the terminal the implementation attached and hands its master to the host side (terminal-handover.ts). */
  handOverTerminal(pty: PseudoTerminal): void;
  /** Marks every fd but 0-2 close-on-exec: the command gets none of what this process inherited or opened. */
  closeOtherFds(): void;
  /** Undoes what Node ignores (SIGPIPE, SIGXFSZ): ignored signals would stay ignored in the command. */
  resetSignals(): void;
  /**
   * With --init, until forwardSignals() has run: keeps `signals` from being lost (PID 1 gets no
   * signal it has no handler for), and returns what sends the ones that came meanwhile again.
   */
  holdSignals(signals: readonly NodeJS.Signals[]): () => void;
  /** With --init: resolves once the command has started, or rejects with spawn's error (ENOENT, EACCES). */
  spawned(child: ChildProcess): Promise<void>;
  /** With --init, once the init is in place: tells the runtime that the command started. */
  commandStarted(): void;
  warn(line: string): void;
}

/**
 * Sets the container up: a step still a TODO is skipped (step 1 alone runs the command as a plain
 * child process), and nothing is mounted nor the hostname set outside namespaces of the
 * container's own, so that an unfinished or mistaken step can never change the host.
 */
export function setUpContainer(spec: InitSpec, impl: InitSteps, calls: StepCalls, host: InitHost, events: EventLog): Promise<number> {
  const { rootfs } = spec;
  const shared = (ns: Namespace, flag: string, consequence: string) => {
    if (!spec.namespaced) return;
    events.emit({ event: "shared-namespace", namespace: ns });
    // With --userns the namespaces are made inside the user namespace, by unshareOwnedNamespaces().
    const made = spec.userns ? "did unshareOwnedNamespaces() make it, inside the user namespace?" : `is ${flag} in namespaceFlags?`;
    host.warn(`the init process shares the host's ${ns === "mnt" ? "mount" : ns.toUpperCase()} namespace (${made}): ${consequence}`);
  };

  if (host.ownNamespace("uts")) calls.optional("setHostname", undefined, () => impl.setHostname(spec.hostname));
  else shared("uts", "CLONE_NEWUTS", "not setting the hostname");

  if (spec.network !== "host" && host.ownNamespace("net")) {
    calls.optional("configureContainerNetwork", spec.bridge ? "the container has no network" : undefined, () => impl.configureContainerNetwork(spec.bridge));
  }

  let rooted = false;
  if (!host.ownNamespace("mnt")) {
    shared("mnt", "CLONE_NEWNS", "running on the host's filesystem");
  } else if (calls.optional("makeMountsPrivate", undefined, () => impl.makeMountsPrivate())) {
    refuseSharedMounts(host, events);
    const { overlay, volumes } = spec;
    if (overlay) calls.neededFor("--overlay", "mountOverlay", () => impl.mountOverlay(overlay.layers, overlay.upper, overlay.work, rootfs));
    if (volumes.length) calls.neededFor("-v", "mountVolumes", () => impl.mountVolumes(rootfs, volumes));
    host.bindEtcFiles(rootfs, spec.etcFiles);
    calls.optional("mountProc", undefined, () => impl.mountProc(rootfs));
    calls.optional("mountDev", undefined, () => impl.mountDev(rootfs));
    calls.optional("mountSys", undefined, () => impl.mountSys(rootfs));
    if (spec.pivotRoot) {
      calls.neededFor("--pivot-root", "pivotRoot", () => impl.pivotRoot(rootfs));
      rooted = true;
    } else {
      rooted = calls.optional("changeRoot", undefined, () => impl.changeRoot(rootfs));
    }
    if (rooted) refuseCwdOutsideRoot(host, events, spec.pivotRoot ? "pivotRoot" : "changeRoot");
  }
  if (spec.tty && !rooted) {
    throw new UserError("-t gives the command a terminal from the container's own /dev/pts, and this container's root never changed", "step 3 comes first (docs/03-rootfs.md), or run without -t");
  }
  if (rooted) {
    host.enterWorkingDir(spec.cwd);
    if (spec.tty) takeTerminal(impl, calls, (pty) => host.handOverTerminal(pty));
    if (!spec.privileged) confine(impl, calls, spec.pivotRoot);
  }
  host.closeOtherFds();
  if (spec.init) return superviseCommand(spec, impl, calls, host);
  host.resetSignals();
  // Not through `calls`: the init process reports execve's own errors (127, 126) itself.
  return impl.execCommand(spec.command, spec.env);
}

/** The signals an init passes on to the command: those that ask a program to stop, reload or look again. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGALRM"];

/**
 * --init (the init bonus step): the init process stays PID 1, with the command as its child.
 * Resolves with the command's status, which the init process exits with.
 */
async function superviseCommand(spec: InitSpec, impl: InitSteps, calls: StepCalls, host: InitHost): Promise<number> {
  // A SIGTERM may come as soon as the command runs, before forwardSignals() has run.
  const release = host.holdSignals(FORWARDED_SIGNALS);
  let child: ChildProcess | undefined;
  calls.neededFor("--init", "startCommand", () => (child = impl.startCommand(spec.command, spec.env)));
  const command = child as ChildProcess;
  // Only a command that started gets signals: Node's kill() on a child that never started
  // signals the caller's whole process group (pid 0), the runtime's `container run` included.
  await host.spawned(command);
  let status: Promise<number> | undefined;
  try {
    calls.neededFor("--init", "forwardSignals", () => impl.forwardSignals(command, FORWARDED_SIGNALS));
    calls.neededFor("--init", "reapChildren", () => (status = impl.reapChildren(command)));
  } catch (error) {
    // The command must not run on without the init it was promised.
    command.kill("SIGKILL");
    throw error;
  }
  release();
  host.commandStarted();
  return status as Promise<number>;
}

/**
 * The privileges bonus step, last before the command (the init process can mount no more after
 * it): Docker's capabilities, less CAP_SYS_CHROOT when the root was changed with chroot (with it,
 * the classic escape gets out of a chroot), then no_new_privs, then the seccomp filter.
 */
function confine(impl: InitSteps, calls: StepCalls, pivoted: boolean): void {
  const keep: CapabilityName[] = DOCKER_DEFAULT_CAPABILITIES.filter((cap) => pivoted || cap !== "CAP_SYS_CHROOT");
  let said = false;
  const step = (func: "dropCapabilities" | "forbidNewPrivileges" | "installSeccompFilter", run: () => void) => {
    if (!calls.optional(func, said ? undefined : "the container keeps more of root's privileges than Docker's", run)) said = true;
  };
  step("dropCapabilities", () => impl.dropCapabilities(keep));
  step("forbidNewPrivileges", () => impl.forbidNewPrivileges());
  step("installSeccompFilter", () => impl.installSeccompFilter());
}

/**
 * After makeMountsPrivate(), no mount may still propagate: what we mount next would appear on the
 * host. The mounts are the machine's own (/proc, /sys...), not the learner's: the message counts
 * them and names the fix rather than listing them.
 */
function refuseSharedMounts(host: InitHost, events: EventLog): void {
  const shared = host.sharedMounts();
  if (shared.length === 0) return;
  events.emit({ event: "shared-mounts", mounts: shared });
  const below = shared.filter((m) => m !== "/").length;
  const what = shared.includes("/") ? `/ and ${below} mount(s) below it` : `${below} mount(s) below /`;
  throw new UserError(
    `after makeMountsPrivate(), ${what} still propagate to the host: refusing to mount anything`,
    `make them all private at once, recursively: mount(null, "/", null, MS_REC | MS_PRIVATE) (${readAbout("makeMountsPrivate")})`,
  );
}

/** chroot and pivot_root leave the working directory where it was: outside the new root, `..` walks back to the host. */
function refuseCwdOutsideRoot(host: InitHost, events: EventLog, func: "changeRoot" | "pivotRoot"): void {
  if (host.cwdInsideRoot()) return;
  refuse(events, func, `${func}() left the working directory outside the new root, where ".." leads back to the host`, `chdir("/") once the root has changed`);
}
