/**
 * The room kept on disk, so that a restarted `workshop room` is the same room: the same code and
 * port (the learners' URL still works) and every learner's state. Written atomically (a temporary
 * file, then rename), readable by root alone (it holds the code). Read back through the protocol's
 * own checks: the file is data like any message.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../errors.js";
import { parseLearnerMessage, type StepResults } from "./protocol.js";
import type { Learner, RoomState } from "./state.js";

export interface RoomFile {
  code: string;
  port: number;
  learners: Omit<Learner, "connections">[];
}

/** The saved room, or undefined when there is none yet; a damaged file is an error (it holds the code). */
export function loadRoomFile(file: string): RoomFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const saved = JSON.parse(text) as RoomFile;
    if (typeof saved.code !== "string" || !/^[A-Za-z0-9_-]{16,}$/.test(saved.code)) throw new Error("no code");
    if (!Number.isInteger(saved.port) || saved.port < 0 || saved.port > 65535) throw new Error("no port");
    return { code: saved.code, port: saved.port, learners: saved.learners.map(learner) };
  } catch (error) {
    throw new UserError(`the room's state file ${file} is damaged (${(error as Error).message})`, "move it away to start a new room (learners then join again)");
  }
}

function learner(saved: Omit<Learner, "connections">): Omit<Learner, "connections"> {
  const hello = parseLearnerMessage(JSON.stringify({ t: "hello", learner: saved.id, name: saved.name, step: saved.step, done: saved.done }));
  if (hello.t !== "hello") throw new Error("a learner is not one");
  const results: Record<string, StepResults> = {};
  for (const r of Object.values(saved.results)) {
    const checks = parseLearnerMessage(JSON.stringify({ t: "checks", ...r }));
    if (checks.t === "checks") results[checks.step] = { step: checks.step, checks: checks.checks, ...(checks.failure ? { failure: checks.failure } : {}) };
  }
  const time = (value: number) => (Number.isFinite(value) ? value : Date.now());
  return { id: hello.learner, name: hello.name, step: hello.step, done: hello.done, results, stepSince: time(saved.stepSince), lastSeen: time(saved.lastSeen) };
}

export function saveRoomFile(file: string, room: RoomFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(room)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * Saves the room a moment after it changes (one write for a burst of messages), and at once on
 * `flush`. A learner's next connection resends its state, so a crash between two saves loses
 * nothing that is not sent again.
 */
export class RoomSaver {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly state: RoomState,
    private readonly room: { code: string; port: number },
    private readonly delayMs = 2000,
  ) {}

  schedule = (): void => {
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  };

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    saveRoomFile(this.file, { ...this.room, learners: this.state.toJSON() });
  }
}
