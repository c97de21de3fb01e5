// Whether a run reached a function still a TODO, from what the runtime told on its event channel
// (`container --events`). A check whose functions, or those of the steps its step builds on, are
// TODOs is "not started" rather than failed.
import { isFoundation, prerequisites, type Step } from "../course/steps.js";
import type { RuntimeEvent } from "../runtime/events.js";
import { notDone } from "../runtime/not-implemented.js";

/**
 * The functions whose TODO makes a check of `step` not started: all those of the steps it builds
 * on, and its own (`needs`, or all of them; all of them for a step others build on).
 */
function relevantFunctions(step: Step, needs: readonly string[] | undefined): Set<string> {
  const own = needs && !isFoundation(step) ? needs : step.functions;
  return new Set([...prerequisites(step).flatMap((s) => s.functions), ...own]);
}

/** The line saying the first relevant TODO the runs reached (or went on without), if any. */
export function reachedTodo(events: RuntimeEvent[], step: Step, needs?: readonly string[]): string | undefined {
  const relevant = relevantFunctions(step, needs);
  const todo = events.find((e) => (e.event === "todo" || e.event === "skipped") && relevant.has(e.func));
  return todo && "func" in todo ? `${notDone(todo.func).what}: ${todo.func}() is still a TODO` : undefined;
}
