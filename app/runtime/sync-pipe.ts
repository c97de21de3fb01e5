import { readSync } from "node:fs";

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
      const n = readSync(this.fd, chunk);
      if (n === 0) return undefined;
      this.buffered += chunk.toString("utf8", 0, n);
    }
  }
}
