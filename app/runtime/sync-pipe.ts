import { readSync } from "node:fs";

/** A signal passed on to init while it waits (Ctrl-C during the start) interrupts the read: read again. */
function readRetrying(fd: number, buffer: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buffer);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EINTR") throw error;
    }
  }
}

/**
 * The init process's end of fd 3, read synchronously: init has nothing else to do while it waits,
 * and once its root has changed only synchronous fs calls see the right files anyway.
 * The fd must be blocking (see init.ts).
 */
export class SyncPipeReader {
  private buffered = "";

  constructor(private readonly fd: number) {}

  /** The next line, without its newline; undefined at end of file (the runtime went away). */
  readLine(): string | undefined {
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const newline = this.buffered.indexOf("\n");
      if (newline >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        return line;
      }
      const n = readRetrying(this.fd, chunk);
      if (n === 0) return undefined;
      this.buffered += chunk.toString("utf8", 0, n);
    }
  }
}
