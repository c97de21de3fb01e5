import { errnoName } from "./errno.js";
import { SyscallError } from "./errors.js";
import { loadLibc, type Libc } from "./libc.js";
import { isTracing, record } from "./trace.js";

/** The arguments as a person reads them (flags as names), or what makes them: worked out only for a trace or an error. */
export type Shown = unknown[] | (() => unknown[]);

const shownNow = (shown: Shown): unknown[] => (typeof shown === "function" ? shown() : shown);

/**
 * Runs one libc call: on -1 throws a SyscallError with the errno, and when tracing is on
 * records the call. Naming the arguments (flags decoded) costs more than most calls, so it is
 * done only when a trace or an error needs it.
 */
export function invoke(call: string, shown: Shown, run: (libc: Libc) => number): number {
  const libc = loadLibc();
  const start = isTracing() ? performance.now() : 0;
  const result = run(libc);
  const errno = result === -1 ? libc.koffi.errno() : 0;
  if (isTracing()) {
    record({
      time: Date.now(),
      pid: process.pid,
      call,
      args: shownNow(shown),
      ...(result === -1 ? { error: errnoName(errno) } : { result }),
      ms: Math.round((performance.now() - start) * 1000) / 1000,
    });
  }
  if (result === -1) throw new SyscallError(call, shownNow(shown), errno, libc.strerror(errno));
  return result;
}

/**
 * Refuses an operation this layer checks itself (not the kernel), in the same form as a failed
 * call: traced, and thrown as a SyscallError whose description says what was found.
 */
export function refuse(call: string, shown: unknown[], errno: number, description: string): never {
  if (isTracing()) record({ time: Date.now(), pid: process.pid, call, args: shown, error: errnoName(errno), ms: 0 });
  throw new SyscallError(call, shown, errno, description);
}
