/**
 * The trace of a run, as the trace pane shows it: the system calls in the order they returned,
 * in blocks of consecutive calls by the same process. Blocks rather than one group per pid
 * because every container's init is pid 1 in its own PID namespace: a step's run starts several.
 */
import { readFileSync } from "node:fs";
import type { TraceRecord } from "../../native/trace.js";

export interface TraceBlock {
  pid: number;
  calls: TraceRecord[];
}

export interface Trace {
  blocks: TraceBlock[];
  calls: number;
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
  for (const record of records) {
    const last = blocks.at(-1);
    if (last?.pid === record.pid) last.calls.push(record);
    else blocks.push({ pid: record.pid, calls: [record] });
  }
  return {
    blocks,
    calls: records.length,
    failed: records.filter((r) => r.error !== undefined).length,
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
