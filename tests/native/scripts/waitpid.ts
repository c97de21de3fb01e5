// As a subreaper, inherits three orphans (one exits 7, one kills itself, one sleeps) and reaps them
// with waitpid, stopping and continuing the sleeper on the way; reports each status.
import { spawnSync } from "node:child_process";
import { kill, prctl, PR_SET_CHILD_SUBREAPER, SyscallError, waitpid, WCONTINUED, WNOHANG, WUNTRACED } from "#native";

prctl(PR_SET_CHILD_SUBREAPER, 1);
// Each started from a subshell that exits at once: the shell never owns them, so it cannot reap one first.
const orphans = "(sh -c 'exit 7' &); (sh -c 'kill -KILL $$' &); (sleep 30 >/dev/null 2>&1 & echo $!)";
const started = spawnSync("/bin/sh", ["-c", orphans], { encoding: "utf8" });
const sleeper = Number(started.stdout.trim());
const report: Record<string, unknown> = { sleeper };
let reaped = false;
try {
  report.stillRunning = waitpid(sleeper, WNOHANG) ?? "undefined";
  kill(sleeper, "SIGSTOP");
  report.stopped = waitpid(sleeper, WUNTRACED);
  kill(sleeper, "SIGCONT");
  report.continued = waitpid(sleeper, WCONTINUED);
  kill(sleeper, "SIGTERM");
  report.terminated = waitpid(sleeper);
  reaped = true;
} finally {
  // Should this fail halfway, the sleeper must not outlive the test (a reaped pid may be reused: never kill it).
  if (!reaped) kill(sleeper, "SIGKILL");
}
report.others = [waitpid(), waitpid()].map((status) => ({ ...status, pid: undefined }));
try {
  waitpid(-1, WNOHANG);
} catch (error) {
  if (!(error instanceof SyscallError)) throw error;
  report.noneLeft = { code: error.code, hint: error.hint };
}
process.stdout.write(JSON.stringify(report));
