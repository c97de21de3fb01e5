// What `workshop check` shares with the learner's room, if they joined one: each step's results
// as they come, and the steps it finds done. A room that does not answer costs the checks nothing.
import { checksOf, type CheckResult } from "../checks/index.js";
import type { Progress } from "../course/progress.js";
import { RoomLink } from "../room/client.js";
import { parseRoomUrl } from "../room/membership.js";
import { doneSteps, shareRun } from "../room/share.js";

export interface RoomReport {
  results(stepId: string, results: CheckResult[]): void;
  /** Sends what is left and closes; returns a line for the learner when the room was not reached. */
  finish(): Promise<string | undefined>;
}

/** `steps`: the steps being checked; one step checked is the one the learner is on, as far as the room knows. */
export function roomReport(repo: string, progress: Progress, steps: string[]): RoomReport | undefined {
  if (!progress.room) return undefined;
  const room = progress.room;
  const step = steps.length === 1 ? steps[0]! : progress.currentStep;
  const link = new RoomLink(room, { step, done: doneSteps(progress.passed, checksOf) });
  return {
    results(stepId, results) {
      shareRun(link, stepId, results, checksOf(stepId).length, repo);
    },
    async finish() {
      const reached = await link.connected(3000);
      await link.close();
      if (reached) return undefined;
      return `The room at ${parseRoomUrl(room.url).label} was not reached${link.refusal ? ` (${link.refusal})` : ""}: these results were not shared.`;
    },
  };
}
