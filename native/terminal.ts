import { invoke } from "./invoke.js";

/**
 * Pseudo-terminals: a master end (the program that draws the terminal holds it) and a slave end
 * (/dev/pts/N, the command's stdin, stdout and stderr). Opening /dev/ptmx of a devpts instance
 * gives a new master; these ioctls unlock its slave, name it, make it a session's controlling
 * terminal and tell it the window's size. The numbers are the same on x86_64 and arm64.
 */
const TIOCSCTTY = 0x540e;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const TIOCGSID = 0x5429;
/** _IOR('T', 0x30, unsigned int) */
const TIOCGPTN = 0x80045430;
/** _IOW('T', 0x31, int) */
const TIOCSPTLCK = 0x40045431;

/** A terminal window's size, in characters. */
export interface WindowSize {
  rows: number;
  columns: number;
}

/** ioctl(TIOCSPTLCK, 0): a new master's slave is locked until unlocked (glibc's unlockpt). */
export function unlockPty(master: number): void {
  const value = Buffer.alloc(4);
  invoke("ioctl", () => [master, "TIOCSPTLCK", 0], (c) => c.ioctl(master, TIOCSPTLCK, "void *", value));
}

/** ioctl(TIOCGPTN): the number N of the master's slave, /dev/pts/N in the devpts it came from (glibc's ptsname). */
export function ptyNumber(master: number): number {
  const value = Buffer.alloc(4);
  invoke("ioctl", () => [master, "TIOCGPTN"], (c) => c.ioctl(master, TIOCGPTN, "void *", value));
  return value.readUInt32LE(0);
}

/** ioctl(TIOCSCTTY): makes the terminal `fd` the controlling terminal of the caller's session (it must lead one: setsid). */
export function setControllingTerminal(fd: number): void {
  invoke("ioctl", () => [fd, "TIOCSCTTY", 0], (c) => c.ioctl(fd, TIOCSCTTY, "int", 0));
}

/** ioctl(TIOCGSID): the session whose controlling terminal `fd` is (ENOTTY when it controls none), as the caller's PID namespace numbers it. */
export function terminalSession(fd: number): number {
  const value = Buffer.alloc(4);
  invoke("ioctl", () => [fd, "TIOCGSID"], (c) => c.ioctl(fd, TIOCGSID, "void *", value));
  return value.readInt32LE(0);
}

/** ioctl(TIOCSWINSZ): the window size the terminal reports; its foreground process group gets SIGWINCH when it changes. */
export function setWindowSize(fd: number, size: WindowSize): void {
  const winsize = Buffer.alloc(8);
  winsize.writeUInt16LE(size.rows, 0);
  winsize.writeUInt16LE(size.columns, 2);
  invoke("ioctl", () => [fd, "TIOCSWINSZ", `${size.rows}x${size.columns}`], (c) => c.ioctl(fd, TIOCSWINSZ, "void *", winsize));
}

/** ioctl(TIOCGWINSZ): the window size the terminal reports. */
export function getWindowSize(fd: number): WindowSize {
  const winsize = Buffer.alloc(8);
  invoke("ioctl", () => [fd, "TIOCGWINSZ"], (c) => c.ioctl(fd, TIOCGWINSZ, "void *", winsize));
  return { rows: winsize.readUInt16LE(0), columns: winsize.readUInt16LE(2) };
}
