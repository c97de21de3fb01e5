/**
 * The trace of a run, as the trace pane shows it: the system calls grouped per process, each
 * process's calls in the order they returned, the processes in the order they first made one.
 * A step's checks start several containers at once, and every container's init is pid 1 in a PID
 * namespace of its own: pid 1's calls are therefore kept in runs of consecutive calls, one block
 * each, where the runtimes' (unique host) pids each get one block.
 */
import { readFileSync } from "node:fs";
import type { TraceRecord } from "../../native/trace.js";
import { REFUSALS } from "../checks/refusals.js";

export interface TraceBlock {
  pid: number;
  calls: TraceRecord[];
}

export interface Trace {
  blocks: TraceBlock[];
  calls: number;
  /** The calls that failed, but not those meant to (see expectedFailure). */
  failed: number;
  /** When the first call returned, for relative times. */
  start: number;
}

/** Reads a trace file; a missing file is an empty trace, a torn last line (still being written) is skipped. */
export function readTrace(file: string): Trace {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // no call traced yet
  }
  const records: TraceRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as TraceRecord);
    } catch {
      // a line being written right now
    }
  }
  return groupTrace(records);
}

export function groupTrace(records: TraceRecord[]): Trace {
  const blocks: TraceBlock[] = [];
  const byPid = new Map<number, TraceBlock>();
  let previous: TraceBlock | undefined;
  for (const record of records) {
    let block = previous?.pid === record.pid ? previous : record.pid === 1 ? undefined : byPid.get(record.pid);
    if (!block) {
      block = { pid: record.pid, calls: [] };
      blocks.push(block);
      byPid.set(record.pid, block);
    }
    block.calls.push(record);
    previous = block;
  }
  return {
    blocks,
    calls: records.length,
    failed: records.filter((r) => r.error !== undefined && !expectedFailure(r)).length,
    start: records[0]?.time ?? 0,
  };
}

/** `mount("proc", ".../rootfs/proc", "proc", MS_NOSUID|MS_NODEV) = 0`, as a person reads it. */
export function formatCall(record: TraceRecord): string {
  const args = record.args.map(formatArg).join(", ");
  const outcome = record.error !== undefined ? `-1 ${record.error}` : String(record.result ?? "");
  return `${record.call}(${args}) = ${outcome}`;
}

// Names decoded to flags stay bare; other strings are quoted; image digests are cut to their
// first 12 characters, as `container images` shows them.
function formatArg(arg: unknown): string {
  if (typeof arg === "string") {
    const short = arg.replace(/\b([0-9a-f]{12})[0-9a-f]{52}\b/g, "$1…");
    return /^[A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*$/.test(short) ? short : JSON.stringify(short);
  }
  if (arg === null || arg === undefined) return "NULL";
  return JSON.stringify(arg);
}

/**
 * Why a failed call was meant to fail, if it was: the checks' own refusals (step 1 runs a command
 * that is not there, and one that is not executable, for 127 and 126) and the runtime's questions
 * to the kernel whose "no" is an answer. Undefined for a failure that is news.
 */
export function expectedFailure(record: TraceRecord): string | undefined {
  if (record.error === undefined) return undefined;
  const [first, second] = record.args;
  if (record.call === "execve") {
    const refusal = REFUSALS.find((r) => r.command === first && r.error === record.error);
    return refusal && `the ${refusal.status} check runs it to be refused: ${refusal.why}`;
  }
  if (record.call === "prctl" && first === "PR_CAPBSET_READ" && record.error === "EINVAL") return "the runtime asks whether the kernel knows this capability";
  if (record.call === "openat2" && record.error === "ENOENT" && typeof second === "string" && /^etc\/(hostname|hosts|resolv\.conf)$/.test(second)) {
    return "the runtime looks whether the image has this file before putting its own over it";
  }
  return undefined;
}
