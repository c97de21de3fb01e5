import { mkdirSync, rmdirSync, statSync } from "node:fs";

/**
 * Runs `work` while holding a lock shared by all `container` processes: a directory, since mkdir
 * is atomic. A lock older than `staleMs` belongs to a run that was killed, and is taken over.
 */
export function withLock<T>(path: string, work: () => T, staleMs = 10_000): T {
  const deadline = Date.now() + staleMs;
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() - takenAt(path) > staleMs || Date.now() > deadline) {
        rmdirSync(path, { recursive: true }); // recursive: no error if another run took it over first
        continue;
      }
      sleepSync(10);
    }
  }
  try {
    return work();
  } finally {
    rmdirSync(path);
  }
}

function takenAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** Blocks this thread for `ms`: for the runtime's synchronous waits (init and teardown use no event loop). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
