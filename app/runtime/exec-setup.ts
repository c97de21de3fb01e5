// `container exec`, in the process it started in the container: born in the container's UTS, IPC,
// network and PID namespaces (spawnInContainer, on the host), it takes the container's mount
// namespace, root and working directory, its terminal with -t, the confinement of its PID 1, and
// becomes the command. Whatever the implementation did, the command never starts outside the
// container: each namespace and the root are compared with the container's first.
import { takeTerminal } from "./container-terminal.js";
import type { InitSteps, PseudoTerminal } from "./contract.js";
import type { EventLog } from "./events.js";
import { EXEC_NAMESPACES, type ExecNamespace, type ExecSpec } from "./spec.js";
import { refuse, type StepCalls } from "./step-calls.js";

/** What the runtime itself does in exec's process, apart from the learner's functions. */
export interface ExecHost {
  /** The inode of this process's namespace `ns` (pid: the one it was born in). */
  namespaceInode(ns: ExecNamespace): number;
  /** This process's root directory. */
  root(): { dev: number; ino: number };
  /** Whether the working directory is inside the root. */
  cwdInsideRoot(): boolean;
  handOverTerminal(pty: PseudoTerminal): void;
  closeOtherFds(): void;
  resetSignals(): void;
}

export function joinContainer(spec: ExecSpec, impl: InitSteps, calls: StepCalls, host: ExecHost, events: EventLog): never {
  const outside = (names: readonly ExecNamespace[]) => names.filter((ns) => host.namespaceInode(ns) !== spec.namespaces[ns]);
  // The namespaces it was born in first: outside the container's PID namespace, its /proc would not even show this process.
  const notJoined = outside(EXEC_NAMESPACES.filter((ns) => ns !== "mnt"));
  if (notJoined.length) {
    refuse(events, "spawnInContainer", `spawnInContainer() started the process outside the container's ${notJoined.join(", ")} namespace${notJoined.length > 1 ? "s" : ""}`, "setns into each of /proc/PID/ns/{uts,ipc,net,pid} before spawn()");
  }
  calls.required("enterContainerRoot", () => impl.enterContainerRoot(spec.pid, spec.cwd));
  if (outside(["mnt"]).length) refuse(events, "enterContainerRoot", "enterContainerRoot() left the process outside the container's mount namespace", "setns into /proc/PID/ns/mnt (after unshare(CLONE_FS))");
  const root = host.root();
  if (root.dev !== spec.root.dev || root.ino !== spec.root.ino) {
    refuse(events, "enterContainerRoot", "enterContainerRoot() did not make the container's root directory the process's root", "fchdir to /proc/PID/root, then chroot(\".\")");
  }
  if (!host.cwdInsideRoot()) refuse(events, "enterContainerRoot", "enterContainerRoot() left the working directory outside the container's root", "chdir to the directory only once the root has changed");
  if (spec.tty) takeTerminal(impl, calls, (pty) => host.handOverTerminal(pty));
  confineLike(spec, impl, calls);
  host.closeOtherFds();
  host.resetSignals();
  return impl.execCommand(spec.command, spec.env);
}

/** No more than the container's own processes have: its capabilities, no_new_privs, its seccomp filter. */
function confineLike({ confinement }: ExecSpec, impl: InitSteps, calls: StepCalls): void {
  const { capabilities, noNewPrivs, seccomp } = confinement;
  if (capabilities) calls.required("dropCapabilities", () => impl.dropCapabilities(capabilities));
  if (noNewPrivs) calls.required("forbidNewPrivileges", () => impl.forbidNewPrivileges());
  if (seccomp) calls.required("installSeccompFilter", () => impl.installSeccompFilter());
}
