/** The trace pane's lines: a summary, then each process's calls with the time since the first, failures in red (expected ones not). */
import chalk from "chalk";
import type { TraceRecord } from "../../native/trace.js";
import { underWay, type RunView } from "./check-runs.js";
import { expectedFailure, formatCall, type Trace } from "./trace.js";
import { wrapLines } from "../terminal/wrap.js";

export function traceLines(trace: Trace, width: number, run?: RunView): string[] {
  if (trace.calls === 0) return wrapLines(chalk.dim(nothingTraced(run)), width);
  const failures = trace.blocks.flatMap((b) => b.calls.filter((c) => c.error !== undefined && !expectedFailure(c)));
  const expected = trace.blocks.flatMap((b) => b.calls.filter((c) => expectedFailure(c) !== undefined)).length;
  const meant = expected ? chalk.dim(` (${expected} failed as expected, marked ~)`) : "";
  const lines = wrapLines(`${trace.calls} system calls, in the order they returned; ${failures.length ? chalk.red.bold(`${failures.length} failed:`) : expected ? "none failed unexpectedly." : "none failed."}${meant}`, width);
  for (const call of failures.slice(0, 3)) lines.push(...wrapLines(chalk.red(`  ✗ ${formatCall(call)}  (pid ${call.pid}, ${at(trace, call)})`), width, 4));
  if (failures.length > 3) lines.push(chalk.red(`  … and ${failures.length - 3} more, below`));
  for (const block of trace.blocks) {
    lines.push("", chalk.bold(`pid ${block.pid}`) + chalk.dim(block.pid === 1 ? "  the container's init, pid 1 in its own PID namespace" : ""));
    for (const call of block.calls) {
      const text = `${at(trace, call).padStart(9)}  ${formatCall(call)}`;
      const why = expectedFailure(call);
      if (why) lines.push(...wrapLines(chalk.dim(`${text}  ~ expected: ${why}`), width, 11));
      else lines.push(...wrapLines(call.error !== undefined ? chalk.red(`${text}  ✗`) : text, width, 11));
    }
  }
  return lines;
}

/** Why a run's trace is empty: still running, stopped at a TODO before any call, or no run. */
function nothingTraced(run?: RunView): string {
  if (underWay(run)) return "No system calls traced yet: the checks are still running.";
  const todo = run?.results.find((r) => r.status === "not-started");
  if (todo) return `No system calls traced: the run stopped at a TODO before making one. ${todo.message ?? ""}`.trim();
  return "No system calls traced yet: press r to run the checks, then t again.";
}

function at(trace: Trace, call: TraceRecord): string {
  return `+${((call.time - trace.start) / 1000).toFixed(3)}s`;
}
