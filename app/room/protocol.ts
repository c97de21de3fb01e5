/**
 * What a learner may send to a room, and nothing else: small JSON messages, each checked field by
 * field before the room looks at it. A message names a step, check ids with their status, and the
 * first line of a failure; there is no field for code, files or the environment, so none can be
 * sent. Anything else (too big, not JSON, a field of the wrong shape or an unknown one) is refused.
 */

/** A message's size limit, in bytes: the WebSocket layer refuses bigger frames (ws's maxPayload). */
export const MAX_MESSAGE_BYTES = 4096;
/** How long a name, an id or a failure's line may be, in characters. */
export const MAX_NAME = 32;
export const MAX_ID = 64;
export const MAX_LINE = 200;
/** How many checks one result may list, and how many steps a learner may have done. */
export const MAX_CHECKS = 32;
export const MAX_STEPS = 32;

export const CHECK_STATUSES = ["pass", "fail", "not-started", "error"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckOutcome {
  id: string;
  status: CheckStatus;
}

/** The latest run of one step's checks: each check's status, and the first failure's first line. */
export interface StepResults {
  step: string;
  checks: CheckOutcome[];
  failure?: { check: string; line: string };
}

/** Everything a learner shares at once: sent on joining and on each reconnection. */
export interface LearnerSnapshot {
  step: string;
  results?: StepResults;
  done: string[];
}

export type LearnerMessage =
  | ({ t: "hello"; learner: string; name: string } & LearnerSnapshot)
  | { t: "step"; step: string }
  | ({ t: "checks" } & StepResults)
  | { t: "done"; step: string }
  | { t: "leave" };

/** What the room answers: welcome after a hello, or why it closes the connection. */
export type RoomMessage = { t: "welcome" } | { t: "refused"; why: string };

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Parses and checks one message; throws an Error saying what is wrong. */
export function parseLearnerMessage(text: string): LearnerMessage {
  if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) throw new Error(`a message is at most ${MAX_MESSAGE_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error("a message is JSON");
  }
  const m = record(value, "message");
  switch (m.t) {
    case "hello":
      only(m, ["t", "learner", "name", "step", "results", "done"]);
      return {
        t: "hello",
        learner: id(m.learner, "learner"),
        name: name(m.name),
        step: id(m.step, "step"),
        ...(m.results === undefined ? {} : { results: results(m.results) }),
        done: list(m.done, "done", MAX_STEPS).map((s) => id(s, "done")),
      };
    case "step":
    case "done":
      only(m, ["t", "step"]);
      return { t: m.t, step: id(m.step, "step") };
    case "checks":
      return { t: "checks", ...results(m, ["t"]) };
    case "leave":
      only(m, ["t"]);
      return { t: "leave" };
    default:
      throw new Error("unknown message type");
  }
}

function results(value: unknown, extra: string[] = []): StepResults {
  const r = record(value, "results");
  only(r, [...extra, "step", "checks", "failure"]);
  const checks = list(r.checks, "checks", MAX_CHECKS).map((c) => {
    const check = record(c, "check");
    only(check, ["id", "status"]);
    if (!CHECK_STATUSES.includes(check.status as CheckStatus)) throw new Error("a check's status is pass, fail, not-started or error");
    return { id: id(check.id, "check id"), status: check.status as CheckStatus };
  });
  let failure: StepResults["failure"];
  if (r.failure !== undefined) {
    const f = record(r.failure, "failure");
    only(f, ["check", "line"]);
    // Cleaned once here, not on each frame: what the room keeps is fit for a terminal.
    failure = { check: id(f.check, "failure's check"), line: sanitiseLine(text(f.line, "failure's line", MAX_LINE)) };
  }
  return { step: id(r.step, "step"), checks, ...(failure ? { failure } : {}) };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is an object`);
  return value as Record<string, unknown>;
}

function only(value: Record<string, unknown>, keys: string[]): void {
  const unknown = Object.keys(value).find((k) => !keys.includes(k));
  if (unknown !== undefined) throw new Error(`unknown field "${unknown.slice(0, MAX_ID)}"`);
}

function list(value: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(value) || value.length > max) throw new Error(`${what} is a list of at most ${max}`);
  return value;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== "string" || value.length > max) throw new Error(`${what} is a string of at most ${max} characters`);
  return value;
}

function id(value: unknown, what: string): string {
  const s = text(value, what, MAX_ID);
  if (!ID.test(s)) throw new Error(`${what} is letters, digits, dots, dashes and underscores`);
  return s;
}

function name(value: unknown): string {
  const clean = sanitiseName(text(value, "name", MAX_NAME * 4));
  if (!clean) throw new Error("a name has at least one printable character");
  return clean;
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|.)?|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls, DEL, and the characters that reorder or hide text (bidi overrides, zero widths).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

/**
 * A name or a line as a terminal may show it: escape sequences (colours, cursor moves, window
 * titles, hyperlinks) and control characters removed, spaces collapsed, cut to `max` characters.
 */
export function sanitiseName(raw: string, max = MAX_NAME): string {
  return [...raw.replace(ESCAPES, "").replace(UNPRINTABLE, " ").replace(/\s+/g, " ").trim()].slice(0, max).join("").trim();
}

/** A failure's line as a terminal may show it. */
export function sanitiseLine(raw: string): string {
  return sanitiseName(raw, MAX_LINE);
}
