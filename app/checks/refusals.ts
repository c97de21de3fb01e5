/**
 * The commands step 1's checks run to be refused: the kernel's execve fails on them on purpose, so
 * a run's trace shows these failures as expected (app/tui/trace.ts), not as the learner's.
 */
import { describeRun } from "./steps/common.js";
import { fail, pass, type Verdict } from "./define.js";
import type { Result } from "./harness.js";

export const REFUSALS = [
  { name: "not-found", command: "no-such-command", status: 127, error: "ENOENT", why: "no such file in the container" },
  { name: "not-executable", command: "/etc/passwd", status: 126, error: "EACCES", why: "it is not executable" },
] as const;

export type Refusal = (typeof REFUSALS)[number];

/** Whether a run of `refusal`'s command ended as it must: its status, and container's one line; `read` says where to look. */
export function refusalVerdict(refusal: Refusal, run: Result, how: string, read: string): Verdict {
  const expected = `container: cannot run "${refusal.command}": ${refusal.why}`;
  return run.status === refusal.status && run.stderr.split("\n")[0] === expected
    ? pass()
    : fail(`running ${refusal.command}${how}: ${describeRun(run)}; expected exit status ${refusal.status} and "${expected}" (${read})`);
}
