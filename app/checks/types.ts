/** What the checks report, and how to run them: the API the workshop app and CLI build on. */

export type CheckStatus = "pass" | "fail" | "not-started" | "error";

export interface CheckInfo {
  /** "<step>.<name>", e.g. "2.hostname-inside". */
  id: string;
  title: string;
}

export interface CheckResult extends CheckInfo {
  step: string;
  status: CheckStatus;
  /** Why it did not pass (or a note on a pass): what was seen, what was expected, where to read. */
  message?: string;
  durationMs: number;
}

export interface RunOptions {
  /** "exercises" | "solutions" | a directory path. */
  impl: string;
  /** The container store root (default CONTAINER_ROOT or /var/lib/container-workshop). */
  root?: string;
  /** Abort: stop now, kill every sandbox process started, clean up, resolve with what finished. */
  signal?: AbortSignal;
  /** Passed as --trace FILE to every `container` run, so the app can show the syscalls of the last run. */
  traceFile?: string;
  /**
   * How much lower a CPU priority everything the checks start runs at (a nice increment, 1 – 19).
   * The app gives one, so that its keys and frames come before the containers it checks; on a
   * machine with a core to spare the checks take no longer.
   */
  nice?: number;
  onStart?(step: string, check: CheckInfo): void;
  onResult?(result: CheckResult): void;
}
