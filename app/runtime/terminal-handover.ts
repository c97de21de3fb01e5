// The container's side of `-t`, on the real kernel: the terminal must be the container's own and
// must have replaced every standard fd (else the command would hold the user's terminal, a host
// fd), and must control the process's session (else Ctrl-C never reaches the command). Then the
// master goes to `container` on the host, which takes a copy of it (pidfd_getfd) and says go.
import { closeSync, fstatSync, readFileSync, statSync, writeSync } from "node:fs";
import { terminalSession } from "#native";
import { UserError } from "../errors.js";
import type { PseudoTerminal } from "./contract.js";
import type { EventLog } from "./events.js";
import { refuse } from "./step-calls.js";
import { SyncPipeReader } from "./sync-pipe.js";

/** What the init process writes on fd 3 so that the host side takes the terminal's master. */
export interface TerminalMessage {
  terminal: number;
}

export function handOverTerminal(pty: PseudoTerminal, syncFd: number, events: EventLog): void {
  const slave = fstatSync(pty.slave);
  // /dev/pts is the container's devpts, since the root changed: the terminal must come from it.
  if (!slave.isCharacterDevice() || slave.dev !== statSync("/dev/pts").dev) {
    refuse(events, "openPseudoTerminal", `openPseudoTerminal() gave ${pty.path}, which is not a terminal of the container's /dev/pts`, "open /dev/ptmx inside the container, and the /dev/pts/N it names");
  }
  const elsewhere = [0, 1, 2].filter((fd) => fstatSync(fd).rdev !== slave.rdev);
  if (elsewhere.length) {
    refuse(events, "attachTerminal", `after attachTerminal(), fd ${elsewhere.join(", ")} still ${elsewhere.length > 1 ? "are" : "is"} what container was given (the user's terminal or a pipe), not the container's terminal`, "dup2 the slave onto 0, 1 and 2");
  }
  if (!controlsOurSession(pty.slave)) {
    refuse(events, "attachTerminal", "after attachTerminal(), the container's terminal is not the process's controlling terminal, so Ctrl-C would never reach the command", "setsid(), then ioctl(slave, TIOCSCTTY)");
  }
  const message: TerminalMessage = { terminal: pty.master };
  writeSync(syncFd, `${JSON.stringify(message)}\n`);
  // The host has its copy once it says go; ours must not reach the command, nor the slave's spare fd.
  const go = new SyncPipeReader(syncFd).readLine();
  for (const fd of new Set([pty.master, pty.slave])) if (fd > 2) closeSync(fd);
  if (go !== "go") throw new UserError("container went away before the command started", "run it again");
}

/**
 * Whether the terminal `fd` controls this process's session. Not by device number (/proc's
 * tty_nr): the container's /dev/pts/0 and the host's have the same one.
 */
function controlsOurSession(fd: number): boolean {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
  try {
    return terminalSession(fd) === session;
  } catch {
    return false;
  }
}
