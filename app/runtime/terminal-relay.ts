// `-t` on the host: `container` holds the master of the command's terminal and copies between it
// and the user's terminal. The user's terminal is raw while attached (Ctrl-C, arrows and all go to
// the container's terminal, whose own line discipline turns Ctrl-C into SIGINT there) and is put
// back on every way out: the command's exit or death, an error, a signal that ends `container`.
import { isatty, ReadStream } from "node:tty";
import { close, getWindowSize, pidfdGetfd, pidfdOpen, type WindowSize } from "#native";

export interface TerminalRelay {
  /** Resolves once the terminal's output is all copied: every process holding its slave has closed it. */
  readonly drained: Promise<void>;
  /** Stops copying and puts the user's terminal back; again does nothing. */
  close(): void;
}

/** The size of the user's window, from the first of our standard fds that is a terminal. */
export function userWindowSize(): WindowSize | undefined {
  const fd = [1, 0, 2].find((f) => isatty(f));
  return fd === undefined ? undefined : getWindowSize(fd);
}

/**
 * Takes a copy of fd `fd` of process `pid` (the master it opened in the container), gives it the
 * user's window size now and on every SIGWINCH, and copies both ways until closed.
 */
export function relayTerminal(pid: number, fd: number, resize: (master: number, size: WindowSize) => void): TerminalRelay {
  const pidfd = pidfdOpen(pid);
  let master: number;
  try {
    master = pidfdGetfd(pidfd, fd);
  } finally {
    close(pidfd);
  }
  const follow = () => {
    const size = userWindowSize();
    if (size) resize(master, size);
  };
  let output: ReadStream;
  try {
    follow();
    output = new ReadStream(master);
  } catch (error) {
    close(master);
    throw error;
  }

  const input = process.stdin;
  const raw = input.isTTY === true;
  let closed = false;
  const restore = () => {
    if (raw) input.setRawMode(false);
  };
  if (raw) input.setRawMode(true);
  // Whatever else ends this program (an error thrown past us, process.exit), the terminal comes back.
  process.once("exit", restore);

  const typed = (data: Buffer) => output.write(data);
  // Input that is not a terminal ends: the container's terminal reads that as Ctrl-D, end of file.
  const ended = () => output.write("\x04");
  input.on("data", typed);
  input.once("end", ended);
  input.resume();
  process.on("SIGWINCH", follow);

  const drained = new Promise<void>((resolve) => {
    output.on("data", (data: Buffer) => process.stdout.write(data));
    // EIO once no process holds the slave any more: all the output has been read.
    output.once("error", () => resolve());
    output.once("end", () => resolve());
  });

  return {
    drained,
    close() {
      if (closed) return;
      closed = true;
      process.off("SIGWINCH", follow);
      input.off("data", typed);
      input.off("end", ended);
      input.pause();
      restore();
      process.off("exit", restore);
      output.destroy();
    },
  };
}
