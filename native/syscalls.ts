import { constants } from "node:os";
import { FD_CLOEXEC, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_NONBLOCK, SYS_pivot_root } from "./constants.js";
import { FlagWord, shownClone, shownFcntl, shownMode, shownMount, shownPrctl, shownPrctlArg, shownSignal, shownUmount, shownWait } from "./flags.js";
import { invoke } from "./invoke.js";
import { loadLibc } from "./libc.js";
import { isTracing, record } from "./trace.js";

/** unshare(2): moves the calling thread into new namespaces (CLONE_NEW* flags). */
export function unshare(flags: number): void {
  invoke("unshare", () => [shownClone(flags)], (c) => c.unshare(flags));
}

/** setns(2): joins the namespace an fd (from /proc/PID/ns/*) refers to; nstype 0 accepts any type. */
export function setns(fd: number, nstype = 0): void {
  invoke("setns", () => [fd, shownClone(nstype)], (c) => c.setns(fd, nstype));
}

export function sethostname(name: string): void {
  invoke("sethostname", () => [name], (c) => c.sethostname(name, Buffer.byteLength(name)));
}

export function gethostname(): string {
  const buf = Buffer.alloc(257);
  invoke("gethostname", () => [], (c) => c.gethostname(buf, buf.length - 1));
  return buf.subarray(0, buf.indexOf(0)).toString();
}

/** mount(2). Pass null for an unused source, fstype or data. */
export function mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null = null): void {
  invoke("mount", () => [source, target, fstype, shownMount(flags), data], (c) => c.mount(source, target, fstype, flags, data));
}

/** umount2(2), with MNT_* flags (MNT_DETACH for a lazy unmount). */
export function umount2(target: string, flags = 0): void {
  invoke("umount2", () => [target, shownUmount(flags)], (c) => c.umount2(target, flags));
}

/** pivot_root(2) has no glibc wrapper: it goes through syscall(2). */
export function pivotRoot(newRoot: string, putOld: string): void {
  invoke("pivot_root", () => [newRoot, putOld], (c) => c.syscall(SYS_pivot_root, "const char *", newRoot, "const char *", putOld));
}

export function chroot(path: string): void {
  invoke("chroot", () => [path], (c) => c.chroot(path));
}

export function chdir(path: string): void {
  invoke("chdir", () => [path], (c) => c.chdir(path));
}

/** fchdir(2): makes the directory an fd refers to the working directory (then chroot(".") makes it the root, as nsenter --root does). */
export function fchdir(fd: number): void {
  invoke("fchdir", () => [fd], (c) => c.fchdir(fd));
}

/** dup2(2): makes `newfd` refer to what `oldfd` does (closing what it was); the copy is not close-on-exec. */
export function dup2(oldfd: number, newfd: number): void {
  invoke("dup2", () => [oldfd, newfd], (c) => c.dup2(oldfd, newfd));
}

/** setsid(2): a new session and process group, led by the caller, with no controlling terminal yet. */
export function setsid(): number {
  return invoke("setsid", () => [], (c) => c.setsid());
}

/**
 * getcwd(3): the working directory as the kernel has it. Unlike Node's process.cwd(), which is
 * cached, it fails (ENOENT) once the directory is no longer below this process's root.
 */
export function getcwd(): string {
  const buf = Buffer.alloc(4097);
  invoke("getcwd", () => [], (c) => (c.getcwd(buf, buf.length) === null ? -1 : 0));
  return buf.subarray(0, buf.indexOf(0)).toString();
}

/**
 * execve(2): replaces this process with `path`. Returns only by throwing.
 *
 * Node opens fds 0-2 close-on-exec and may make them non-blocking; a program exec'd through
 * FFI would then start with no stdin/stdout/stderr, or with ones that fail with EAGAIN.
 * So both flags are cleared here first, for the three standard fds only.
 */
export function execve(path: string, argv: string[], env: string[]): never {
  for (const fd of [0, 1, 2]) keepAcrossExec(fd);
  if (isTracing()) record({ time: Date.now(), pid: process.pid, call: "execve", args: [path, argv, `[${env.length} vars]`], result: "exec", ms: 0 });
  invoke("execve", () => [path, argv], (c) => c.execve(path, [...argv, null], [...env, null]));
  throw new Error("unreachable: execve returned without an error");
}

function keepAcrossExec(fd: number): void {
  const fdFlags = fcntl(fd, F_GETFD);
  if (fdFlags & FD_CLOEXEC) fcntl(fd, F_SETFD, fdFlags & ~FD_CLOEXEC);
  const statusFlags = fcntl(fd, F_GETFL);
  if (statusFlags & O_NONBLOCK) fcntl(fd, F_SETFL, statusFlags & ~O_NONBLOCK);
}

/** fcntl(2) with an integer argument. */
export function fcntl(fd: number, cmd: number, arg = 0): number {
  return invoke("fcntl", () => [fd, shownFcntl(cmd), arg], (c) => c.fcntl(fd, cmd, "int", arg));
}

export function getpid(): number {
  return loadLibc().getpid();
}

export function getppid(): number {
  return loadLibc().getppid();
}

/** kill(2); the signal by number or name ("SIGKILL"). */
export function kill(pid: number, signal: number | NodeJS.Signals): void {
  const sig = typeof signal === "number" ? signal : constants.signals[signal];
  invoke("kill", () => [pid, shownSignal(sig)], (c) => c.kill(pid, sig));
}

/**
 * Gives a signal its default disposition back (SIG_DFL). Node ignores SIGPIPE and SIGXFSZ, and a
 * signal ignored stays ignored across execve: a container's `yes | head -1` would then complain
 * "Broken pipe" instead of ending quietly, killed by SIGPIPE. Call it right before execve: from
 * then on this process dies of the signal too. (Signals Node handles are reset by execve itself.)
 */
export function resetSignalDisposition(signal: number | NodeJS.Signals): void {
  const sig = typeof signal === "number" ? signal : constants.signals[signal];
  invoke("signal", () => [shownSignal(sig), new FlagWord("SIG_DFL")], (c) => (Number(c.signal(sig, SIG_DFL)) === SIG_ERR ? -1 : 0));
}

const SIG_DFL = 0;
const SIG_ERR = -1;

/** What waitpid(2) reported about one child. */
export type ChildStatus =
  | { pid: number; state: "exited"; code: number }
  | { pid: number; state: "killed"; signal: number; coreDumped: boolean }
  | { pid: number; state: "stopped"; signal: number }
  | { pid: number; state: "continued" };

/**
 * waitpid(2): waits for a child (pid -1: any child) to change state, and reaps it if it ended.
 * With WNOHANG it returns undefined at once when no child has changed yet. It blocks the whole
 * event loop otherwise. Node's child_process reaps the children it started itself: waiting for
 * one of those here takes its exit from Node; an init reaps the rest (orphans it inherited).
 */
export function waitpid(pid = -1, options = 0): ChildStatus | undefined {
  const status = [0];
  const child = invoke("waitpid", () => [pid, shownWait(options)], (c) => c.waitpid(pid, status, options));
  return child === 0 ? undefined : decodeWaitStatus(child, status[0]!);
}

// The macros of sys/wait.h: WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED...
function decodeWaitStatus(pid: number, status: number): ChildStatus {
  if (status === 0xffff) return { pid, state: "continued" };
  if ((status & 0xff) === 0x7f) return { pid, state: "stopped", signal: (status >> 8) & 0xff };
  if ((status & 0x7f) === 0) return { pid, state: "exited", code: (status >> 8) & 0xff };
  return { pid, state: "killed", signal: status & 0x7f, coreDumped: (status & 0x80) !== 0 };
}

/** prctl(2) with integer arguments, e.g. prctl(PR_SET_PDEATHSIG, SIGKILL). */
export function prctl(option: number, arg2 = 0, arg3 = 0, arg4 = 0, arg5 = 0): number {
  return invoke("prctl", () => [shownPrctl(option), shownPrctlArg(option, arg2)], (c) => c.prctl(option, arg2, arg3, arg4, arg5));
}

/** mknod(2): mode is S_IFCHR/S_IFBLK/S_IFIFO | permissions, dev from makedev(). */
export function mknod(path: string, mode: number, dev: bigint = 0n): void {
  invoke("mknod", () => [path, shownMode(mode), dev.toString()], (c) => c.mknod(path, mode, dev));
}

export function setuid(uid: number): void {
  invoke("setuid", () => [uid], (c) => c.setuid(uid));
}

export function setgid(gid: number): void {
  invoke("setgid", () => [gid], (c) => c.setgid(gid));
}

export function setgroups(groups: number[]): void {
  invoke("setgroups", () => [groups], (c) => c.setgroups(groups.length, groups));
}
