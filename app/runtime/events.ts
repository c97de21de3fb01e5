// The runtime's machine channel (`container --events FILE`): what happened, as JSON lines, for the
// checks and other programs to read instead of parsing the messages meant for people (crun's
// --log-format=json is the model). Both the runtime and the init process append to the file.
import { closeSync, openSync, writeSync } from "node:fs";

export type RuntimeEvent =
  /** The run reached a function still a TODO and stopped there. */
  | { event: "todo"; step: string; func: string }
  /** The run went on without a function still a TODO (`without`: what the container lacks, if anything). */
  | { event: "skipped"; step: string; func: string; without?: string }
  /** A function of the implementation failed; `stderr` is the program's own, when it ran one. */
  | { event: "failed"; step: string; func: string; message: string; command?: string[]; stderr?: string }
  /** The init process shares one of the runtime's namespaces although it was started through spawnInNamespaces. */
  | { event: "shared-namespace"; namespace: "uts" | "mnt" | "net" }
  /** After makeMountsPrivate(), these mounts still propagate: the runtime refused to mount. */
  | { event: "shared-mounts"; mounts: string[] }
  /** What the run could not remove from the host (prune will). */
  | { event: "leftovers"; what: string[] };

export interface EventLog {
  emit(event: RuntimeEvent): void;
}

/** No --events: nothing is written. */
export const NO_EVENTS: EventLog = { emit() {} };

/**
 * Appends events to `file` (or to an fd opened for us in append mode). Opened once, synchronously
 * and in append mode: the runtime and the init process write lines to it at once, and init may
 * have changed mount namespace by then.
 */
export function openEventLog(file: string | number | undefined): EventLog & { close(): void } {
  if (file === undefined || file === "") return { ...NO_EVENTS, close() {} };
  const fd = typeof file === "number" ? file : openSync(file, "a", 0o600);
  return {
    emit(event) {
      writeSync(fd, `${JSON.stringify({ ...event, time: new Date().toISOString() })}\n`);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Reads an events file (a missing one is no events; a line cut short by a kill is skipped). */
export function parseEvents(text: string): RuntimeEvent[] {
  return text.split("\n").flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as RuntimeEvent] : [];
    } catch {
      return [];
    }
  });
}
