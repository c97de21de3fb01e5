// Small pieces the steps' checks share: reading what a container printed, and the verdicts that
// come up in every step (the run failed; the root never changed).
import type { Result } from "../harness.js";
import { docFor, fail, firstLine, notStarted, type Verdict } from "../define.js";
import type { ProbeContext } from "../probe-context.js";

/** The `key=value` lines a check's script printed, by key (the last one wins). */
export function keyValues(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of output.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0 && /^[\w-]+$/.test(line.slice(0, at))) values.set(line.slice(0, at), line.slice(at + 1));
  }
  return values;
}

/** The exec checks' verdict when the container they exec into did not get going: how its run ended. */
export function neverGotGoing(run: Result): Verdict {
  return fail(`the container to exec into never got going: ${describeRun(run)}`);
}

/** How a run ended, for a message: "exited with 125: container: …". */
export function describeRun(result: Result): string {
  const how = result.status === null ? `was killed (${result.signal})` : `exited with ${result.status}`;
  const said = result.stderr.trim() ? `: ${firstLine(result.stderr)}` : "";
  return `container ${how}${said}`;
}

/** A failure when the run did not end with `status` (most scripts end with 0), else undefined. */
export function unexpectedExit(result: Result, status = 0): Verdict | undefined {
  return result.status === status ? undefined : fail(`${describeRun(result)} (expected ${status})`);
}

/**
 * A shell test that prints `host-files=yes` when the container can see the probe's store root,
 * a directory the host has and an image never does: then the root did not change.
 */
export function hostFilesTest(context: ProbeContext): string {
  return `[ -e '${context.root}' ] && echo host-files=yes`;
}

/** Not started when the container still saw the host's files (step 3 is what changes the root). */
export function rootNotChanged(values: Map<string, string>, stepId = "3"): Verdict | undefined {
  if (values.get("host-files") !== "yes") return undefined;
  const what = stepId === "3" ? "changeRoot() is still to write" : "step 3 comes first";
  return notStarted(`the container still sees the host's files, so its root never changed: ${what} (${docFor("3", "changeRoot")})`);
}
