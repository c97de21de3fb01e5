import { closeSync, openSync, writeSync } from "node:fs";

/** One line of a trace file: what one system call did. */
export interface TraceRecord {
  /** Milliseconds since the epoch, when the call returned. */
  time: number;
  pid: number;
  call: string;
  /** Arguments as a person reads them: flags decoded to names. */
  args: unknown[];
  /** The return value, or undefined when the call failed. */
  result?: number | string;
  /** The errno name when the call failed. */
  error?: string;
  /** Duration in milliseconds. */
  ms: number;
}

/** The environment variable that switches tracing on, for this process and the ones it starts. */
export const TRACE_ENV = "WORKSHOP_TRACE";

let fd: number | undefined;
let tracing = false;

/**
 * Starts (file) or stops (null) recording every call as one JSON line appended to the file.
 * The file is opened now, with O_APPEND so several processes can share it, and O_CLOEXEC (Node's default)
 * so a container's command never inherits it (an inherited one, /proc/self/fd/N, is the opener's to close). Opening now also keeps tracing working after chroot.
 */
export function setTrace(file: string | null): void {
  if (fd !== undefined && fd !== inherited(file)) closeSync(fd);
  fd = file ? (inherited(file) ?? openSync(file, "a", 0o644)) : undefined;
  tracing = fd !== undefined;
}

/**
 * /proc/self/fd/N names an fd this process inherited, opened for appending by whoever started it:
 * used as it is, not opened again (a process that may not open the file itself, such as root in a
 * user namespace, can still write to it).
 */
function inherited(file: string | null): number | undefined {
  const match = /^\/proc\/self\/fd\/(\d+)$/.exec(file ?? "");
  return match ? Number(match[1]) : undefined;
}

export function isTracing(): boolean {
  return tracing;
}

export function record(entry: TraceRecord): void {
  if (fd === undefined) return;
  // One write per line: appends of a line this short are not interleaved with other processes'.
  writeSync(fd, `${JSON.stringify(entry)}\n`);
}

const fromEnv = process.env[TRACE_ENV];
if (fromEnv) setTrace(fromEnv);
