/**
 * A learner's place in a room, remembered in their progress file (`room`: the URL, the name they
 * gave, and a random id that keeps their row theirs across reconnections), so that the app and
 * `workshop check` report to it until `workshop leave`.
 */
import { randomBytes } from "node:crypto";
import { loadProgress, saveProgress, type RoomMembership } from "../course/progress.js";
import { UserError } from "../errors.js";
import { MAX_NAME, sanitiseName } from "./protocol.js";

export type { RoomMembership };

/** The room's address from the URL `workshop room` printed: http://HOST:PORT/r/CODE. */
export function parseRoomUrl(url: string): { base: string; learner: string; status: string; label: string } {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  const match = parsed && /^\/r\/([A-Za-z0-9_-]{16,})\/?$/.exec(parsed.pathname);
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || !match) {
    throw new UserError(`"${sanitiseName(url, 80)}" is not a room's URL`, "copy the URL from the line `workshop room` printed: http://HOST:PORT/r/CODE", 2);
  }
  const base = `${parsed.protocol}//${parsed.host}/r/${match[1]}`;
  return { base, learner: `${base.replace(/^http/, "ws")}/learner`, status: `${base}/state`, label: parsed.host };
}

/** A membership of the room at `url` under `name`; the same room joined again keeps its id, and so its row. */
export function newMembership(url: string, name: string, previous?: RoomMembership): RoomMembership {
  const { base } = parseRoomUrl(url);
  const clean = sanitiseName(name);
  if (!clean) throw new UserError("a name is needed, as the instructor will see it", `workshop join URL --name NAME (at most ${MAX_NAME} characters)`, 2);
  const learner = previous?.url === base ? previous.learner : randomBytes(12).toString("hex");
  return { url: base, name: clean, learner };
}

/** Joins: remembers the room in the progress file; returns the membership. */
export function joinRoom(progressFile: string, url: string, name: string): RoomMembership {
  const progress = loadProgress(progressFile);
  const room = newMembership(url, name, progress.room);
  saveProgress(progressFile, { ...progress, room });
  return room;
}

/** Leaves: forgets the room; returns the one left, if any. */
export function leaveRoom(progressFile: string): RoomMembership | undefined {
  const progress = loadProgress(progressFile);
  const { room, ...rest } = progress;
  if (room) saveProgress(progressFile, rest);
  return room;
}
