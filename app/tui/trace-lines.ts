/** The trace pane's lines: a summary, then each process's calls with the time since the first, failures in red. */
import chalk from "chalk";
import type { TraceRecord } from "../../native/trace.js";
import { formatCall, type Trace } from "./trace.js";
import { wrapLines } from "../terminal/wrap.js";

export function traceLines(trace: Trace, width: number): string[] {
  if (trace.calls === 0) return [chalk.dim("No system calls traced yet: press r to run the checks, then t again.")];
  const failures = trace.blocks.flatMap((b) => b.calls.filter((c) => c.error !== undefined));
  const lines = [`${trace.calls} system calls, in the order they returned; ${failures.length ? chalk.red.bold(`${failures.length} failed:`) : "none failed."}`];
  for (const call of failures.slice(0, 3)) lines.push(...wrapLines(chalk.red(`  ✗ ${formatCall(call)}  (pid ${call.pid}, ${at(trace, call)})`), width, 4));
  if (failures.length > 3) lines.push(chalk.red(`  … and ${failures.length - 3} more, below`));
  for (const block of trace.blocks) {
    lines.push("", chalk.bold(`pid ${block.pid}`) + chalk.dim(block.pid === 1 ? "  the container's init, pid 1 in its own PID namespace" : ""));
    for (const call of block.calls) {
      const text = `${at(trace, call).padStart(9)}  ${formatCall(call)}`;
      lines.push(...wrapLines(call.error !== undefined ? chalk.red(`${text}  ✗`) : text, width, 11));
    }
  }
  return lines;
}

function at(trace: Trace, call: TraceRecord): string {
  return `+${((call.time - trace.start) / 1000).toFixed(3)}s`;
}
