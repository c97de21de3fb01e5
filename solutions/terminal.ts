// Bonus step: a real terminal. The command gets a pseudo-terminal of its own from the container's
// devpts; the runtime keeps the master end on the host and copies between it and the user's terminal.
import { AT_FDCWD, dup2, O_CLOEXEC, O_NOCTTY, O_RDWR, openat, ptyNumber, setControllingTerminal, setsid, setWindowSize, unlockPty, type WindowSize } from "#native";
import type { PseudoTerminal } from "#contract";

export function openPseudoTerminal(): PseudoTerminal {
  // /dev/ptmx inside the container's root: a new pair in the container's own devpts, so that the
  // command's terminal is /dev/pts/0 there, not a number of the host's. O_NOCTTY: we choose
  // which terminal becomes ours (attachTerminal), opening one must not.
  const master = openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  // A new slave is locked until unlocked (glibc's unlockpt), and named by its number (ptsname).
  unlockPty(master);
  const path = `/dev/pts/${ptyNumber(master)}`;
  const slave = openat(AT_FDCWD, path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  return { master, slave, path };
}

export function attachTerminal(slave: number): void {
  // A terminal controls a session: we lead a new one, then take the terminal as its controlling
  // terminal, so that Ctrl-C on it signals our foreground process group.
  setsid();
  setControllingTerminal(slave);
  for (const fd of [0, 1, 2]) dup2(slave, fd);
}

export function resizeTerminal(master: number, size: WindowSize): void {
  // The kernel sends SIGWINCH to the terminal's foreground process group when the size changes.
  setWindowSize(master, size);
}
