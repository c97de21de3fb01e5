/**
 * What a learner's run of checks becomes for the room: each check's id and status, and the first
 * line of the first failure, with the machine's own paths taken out (a path in the repository is
 * shown relative to it; one under the home or temporary directory is elided). Used by the app and
 * `workshop check` alike.
 */
import { homedir, tmpdir } from "node:os";
import { STEPS } from "../course/steps.js";
import type { RoomLink } from "./client.js";
import { MAX_CHECKS, MAX_LINE, sanitiseLine, type CheckStatus, type StepResults } from "./protocol.js";

export interface CheckOutcomeLike {
  id: string;
  status: CheckStatus;
  message?: string | null;
}

/** Sends a run of the `total` checks of `step` to the room, then, if every one passed, the step as done. */
export function shareRun(link: Pick<RoomLink, "send">, step: string, results: readonly CheckOutcomeLike[], total: number, repo: string): void {
  link.send({ t: "checks", ...stepResults(step, results, repo) });
  if (allPassed(results, total)) link.send({ t: "done", step });
}

function stepResults(step: string, results: readonly CheckOutcomeLike[], repo: string): StepResults {
  const checks = results.slice(0, MAX_CHECKS).map(({ id, status }) => ({ id, status }));
  const failed = results.find((r) => (r.status === "fail" || r.status === "error") && r.message);
  const line = failed ? firstLine(failed.message!, repo) : "";
  return { step, checks, ...(failed && line ? { failure: { check: failed.id, line } } : {}) };
}

/** Whether a run passed every check of its step. */
function allPassed(results: readonly CheckOutcomeLike[], total: number): boolean {
  return results.length === total && total > 0 && results.every((r) => r.status === "pass");
}

/** The steps whose every check passed in their last run (the progress file's `passed`). */
export function doneSteps(passed: Record<string, string[]>, checksOf: (stepId: string) => readonly { id: string }[]): string[] {
  return STEPS.filter((s) => {
    const all = checksOf(s.id);
    return all.length > 0 && all.every((c) => passed[s.id]?.includes(c.id));
  }).map((s) => s.id);
}

/** The first non-empty line, without the machine's paths, fit for a terminal. */
export function firstLine(message: string, repo: string): string {
  const line = message.split("\n").find((l) => l.trim()) ?? "";
  let shown = line.split(`${repo}/`).join("");
  for (const private_ of new Set([homedir(), tmpdir(), "/tmp", "/home", "/root"])) {
    shown = shown.replace(new RegExp(`${escape(private_)}(/[^\\s'":,)]*)?`, "g"), "…");
  }
  return sanitiseLine(shown).slice(0, MAX_LINE);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
