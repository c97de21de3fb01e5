// Recognising, in what `container` printed, that it reached a function still a TODO: the runtime
// names it (app/runtime/not-implemented.ts, run.ts, init.ts). A check whose functions, or those of
// steps 1-3 that every run needs, are TODOs is "not started" rather than failed.
import { STEPS } from "../course/steps.js";

const TODO_LINES = [
  /is not done yet: (\w+)\(\) is still a TODO/, // a step the run cannot do without, or -v without mountVolumes
  /is not done yet \((\w+)\)/, // an optional step the run went on without
  /(\w+)\(\) is not written yet/, // the NotImplemented error itself
];
// Without commandLine() and friends a run needs its command spelled out, and says so.
const IMAGE_CONFIG_TODO = /the image-config bonus step is not done yet/;

/** Functions every run goes through, whichever step a check is about. */
const PREREQUISITES = STEPS.filter((s) => ["1", "2", "3"].includes(s.id)).flatMap((s) => s.functions);

/** The first line of `stderr` that says a function in `functions` (or in steps 1-3) is still a TODO. */
export function todoLine(stderr: string, functions: string[]): string | undefined {
  const relevant = new Set([...PREREQUISITES, ...functions]);
  for (const line of stderr.split("\n")) {
    const named = TODO_LINES.map((pattern) => pattern.exec(line)?.[1]).find((name) => name !== undefined);
    const todo = named ?? (IMAGE_CONFIG_TODO.test(line) ? "commandLine" : undefined);
    if (todo && relevant.has(todo)) return line.replace(/^container: /, "").replace(/^\s+/, "");
  }
  return undefined;
}
