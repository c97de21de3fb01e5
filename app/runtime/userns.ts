// --userns on the host: a user namespace with the container's id range, and the image's files
// shown to its root as its own. Node cannot make the namespace itself (the kernel refuses a user
// namespace to a process with threads, and Node always has some): unshare(1) makes it, and holds it
// while the container starts. See docs/bonus-userns.md for the order of it all.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, lchownSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import * as native from "#native";
import { UserError } from "../errors.js";
import type { HostSteps, IdRange, InitCommand, Volume } from "./contract.js";
import type { InitSpec } from "./spec.js";
import type { StepCalls } from "./step-calls.js";

/**
 * The holder of the user namespace and of a mount namespace it owns, alone in them, until the
 * container's processes have joined. The mount namespace is the container's: the host's files the
 * container needs are opened in it (through `root`), where the container can use them.
 */
export interface UsernsHolder {
  process: ChildProcess;
  /** /proc/PID/ns/user of the holder. */
  namespace: string;
  /** /proc/PID/ns/mnt of the holder. */
  mountNamespace: string;
  /** /proc/PID/root: the host's files, as its mount namespace has them. */
  root: string;
}

/**
 * Starts a process in a new user namespace and writes its maps (the learner's writeIdMaps). It
 * reads its stdin, a pipe from us, until we go: a `container run` killed outright takes it along.
 */
export async function startUsernsHolder(calls: StepCalls, impl: Pick<HostSteps, "writeIdMaps">, range: IdRange): Promise<UsernsHolder> {
  const holder = spawn("unshare", ["--user", "--mount", "--", "sh", "-c", "echo; exec cat"], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  holder.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const started = await new Promise<boolean>((resolve) => {
    holder.stdout.once("data", () => resolve(true));
    holder.once("error", () => resolve(false));
    holder.once("exit", () => resolve(false));
  });
  if (!started || typeof holder.pid !== "number") {
    holder.kill("SIGKILL");
    const why = stderr.trim().split("\n")[0] ?? "";
    throw new UserError(`--userns: cannot make a user namespace${why ? ` (${why})` : " (is unshare from util-linux installed?)"}`, "user namespaces must be enabled (sysctl user.max_user_namespaces > 0); or run without --userns");
  }
  const pid = holder.pid;
  try {
    calls.neededFor("--userns", "writeIdMaps", () => impl.writeIdMaps(pid, range));
  } catch (error) {
    holder.kill("SIGKILL");
    throw error;
  }
  return { process: holder, namespace: `/proc/${pid}/ns/user`, mountNamespace: `/proc/${pid}/ns/mnt`, root: `/proc/${pid}/root` };
}

/** The image's root for a --userns container: an idmapped mount (an fd, for init to attach), or a copy owned by the range. */
export type UsernsRootfs = { tree: number } | { copy: string };

/**
 * The learner's idmapRootfs; where the kernel or the file system cannot idmap (overlayfs under
 * Docker, old kernels), a copy of the image owned by the range instead, said once.
 */
export function usernsRootfs(calls: StepCalls, impl: Pick<HostSteps, "idmapRootfs">, holder: UsernsHolder, rootfs: string, copyDir: string, range: IdRange, warn: (line: string) => void): UsernsRootfs {
  const userns = openSync(holder.namespace, "r");
  let tree: number | undefined;
  let refused: native.SyscallError | undefined;
  try {
    calls.neededFor("--userns", "idmapRootfs", () => {
      try {
        tree = impl.idmapRootfs(rootfs, userns);
      } catch (error) {
        if (!cannotIdmap(error)) throw error;
        refused = error;
      }
    });
  } finally {
    closeSync(userns);
  }
  if (tree !== undefined) return { tree };
  warn(`container: the file system of ${rootfs} cannot be idmapped here (${refused?.call}: ${refused?.code}): running on a copy owned by the container's root, made for this run`);
  copyOwnedBy(rootfs, copyDir, range);
  return { copy: copyDir };
}

/** The kernel's or the file system's refusal, not a mistake in the call: a copy will do. */
function cannotIdmap(error: unknown): error is native.SyscallError {
  return error instanceof native.SyscallError && ["open_tree", "mount_setattr"].includes(error.call) && ["EINVAL", "ENOSYS", "EOPNOTSUPP", "EPERM"].includes(error.code);
}

/**
 * `cp -a` keeps owners, modes, links and device nodes; each owner then moves into the range (an
 * id past its size is left alone: the container sees it as nobody). chown clears setuid and
 * setgid bits, so the mode is set again after it.
 */
export function copyOwnedBy(rootfs: string, dest: string, range: IdRange): void {
  mkdirSync(dest);
  execFileSync("cp", ["-a", `${rootfs}/.`, dest], { stdio: ["ignore", "ignore", "pipe"] });
  const shift = (path: string) => {
    const stat = lstatSync(path);
    const moved = (id: number) => (id < range.size ? range.start + id : id);
    if (stat.uid >= range.size && stat.gid >= range.size) return;
    lchownSync(path, moved(stat.uid), moved(stat.gid));
    if (!stat.isSymbolicLink() && stat.mode & 0o6000) chmodSync(path, stat.mode & 0o7777);
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      shift(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  shift(dest);
  walk(dest);
}

/**
 * What the container's processes need of the host's files, opened here (they are root's alone:
 * the store and the state directory are 0700, and root in the container is nobody on the host),
 * in the holder's mount namespace (an fd names a mount of one namespace: a mount or bind in
 * another would fail), and inherited under the same numbers: the spec names them /proc/self/fd/N.
 */
export interface UsernsFds {
  /** Every fd opened for the container: the init process closes them on exec. */
  all: number[];
  /** The root: the idmapped tree (attached at the directory `attachAt` first), or the copy. */
  rootfs: string;
  tree?: number;
  attachAt?: number;
  /** Where the runtime writes the container's /etc files, and that directory as the container sees it. */
  etcDir: string;
  etcFdDir: string;
  volumes: Volume[];
  events?: number;
  /** The runtime's trace file (WORKSHOP_TRACE), for the container's processes to append to. */
  trace?: number;
}

export function openUsernsFds(holder: UsernsHolder, rootfs: UsernsRootfs, imageRootfs: string, stateDir: string, volumes: Volume[], eventsFile: string | undefined): UsernsFds {
  const all: number[] = [];
  const keep = (fd: number) => (all.push(fd), fd);
  // Not close-on-exec: the container's processes inherit them. Closed here once the init process has started.
  // The real path first: a symlink met below /proc/PID/root is followed from our own root, back in our namespace.
  const open = (path: string, flags: number = native.O_PATH) => keep(native.openat(native.AT_FDCWD, join(holder.root, realpathSync(path)), flags));
  // Others may look up a name in it (no more): the container's root, nobody on the host, binds its files.
  const etcDir = join(stateDir, "etc");
  mkdirSync(etcDir);
  chmodSync(etcDir, 0o711);
  const fds: UsernsFds = {
    all,
    rootfs: "",
    etcDir,
    etcFdDir: native.fdPath(open(etcDir)),
    volumes: volumes.map((volume) => ({ ...volume, source: native.fdPath(open(volume.source)) })),
    events: eventsFile === undefined ? undefined : open(eventsFile, native.O_WRONLY | native.O_APPEND),
    trace: process.env[native.TRACE_ENV] ? open(process.env[native.TRACE_ENV]!, native.O_WRONLY | native.O_APPEND) : undefined,
  };
  if ("tree" in rootfs) {
    native.fcntl(rootfs.tree, native.F_SETFD, 0);
    keep(rootfs.tree);
    return { ...fds, tree: rootfs.tree, rootfs: native.fdPath(rootfs.tree), attachAt: open(imageRootfs) };
  }
  return { ...fds, rootfs: native.fdPath(open(rootfs.copy)) };
}

/** The spec, with the paths the container's processes cannot reach replaced by the fds opened for them. */
export function usernsSpec(spec: InitSpec, fds: UsernsFds): InitSpec {
  const etcFiles = Object.fromEntries(Object.keys(spec.etcFiles).map((name) => [name, `${fds.etcFdDir}/${name}`])) as InitSpec["etcFiles"];
  return {
    ...spec,
    rootfs: fds.rootfs,
    etcFiles,
    volumes: fds.volumes,
    eventsFile: undefined,
    userns: { fds: fds.all, tree: fds.tree, attachAt: fds.attachAt, events: fds.events },
  };
}

/**
 * The init process's command with --userns: nsenter(1) joins the holder's user namespace as its
 * root (a single-threaded program may, Node may not) and its mount namespace, then
 * `init.cjs --userns-stage FLAGS [EVENTS_FD]` makes the other namespaces of `flags` from inside it
 * (unshareOwnedNamespaces: not the user and mount namespaces, made already) and starts the real
 * init process in them.
 */
export function usernsStageCommand(holder: UsernsHolder, fds: UsernsFds, init: InitCommand, flags: number): InitCommand {
  const env = fds.trace === undefined ? init.env : { ...init.env, [native.TRACE_ENV]: native.fdPath(fds.trace) };
  const stage = ["--userns-stage", String(flags), ...(fds.events === undefined ? [] : [String(fds.events)])];
  return { env, command: "nsenter", args: [`--user=${holder.namespace}`, `--mount=${holder.mountNamespace}`, "--", init.command, ...init.args, ...stage] };
}
