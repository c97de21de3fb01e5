import { invoke } from "./invoke.js";
import { SYS } from "./syscall-numbers.js";

/**
 * Process fds (Linux 5.6): an fd that names one process for as long as it is open, so that a pid
 * recycled meanwhile is never mistaken for it; pidfd_getfd copies one of that process's fds into
 * ours, as if it had been sent over a socket (it needs the right to ptrace the process).
 */

/** pidfd_open(2). Close-on-exec, like every fd this layer opens. */
export function pidfdOpen(pid: number): number {
  return invoke("pidfd_open", () => [pid], (c) => c.syscall(SYS.pidfd_open, "int", pid, "unsigned int", 0));
}

/** pidfd_getfd(2): our own copy (close-on-exec) of fd `targetFd` of the process `pidfd` names. */
export function pidfdGetfd(pidfd: number, targetFd: number): number {
  return invoke("pidfd_getfd", () => [pidfd, targetFd], (c) => c.syscall(SYS.pidfd_getfd, "int", pidfd, "int", targetFd, "unsigned int", 0));
}
