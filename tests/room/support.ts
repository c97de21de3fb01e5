/**
 * Rooms and learners on loopback, in the test's own process: a room server with its state, and
 * learners that are the app's own link to it (RoomLink), each with a random id.
 */
import { randomBytes } from "node:crypto";
import { afterEach, expect, vi } from "vitest";
import { RoomLink } from "../../app/room/client.js";
import { newRoomCode, RoomServer, type RateLimit } from "../../app/room/server.js";
import { RoomState } from "../../app/room/state.js";
import { learnerRows } from "../../app/room/view.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export interface TestRoom {
  state: RoomState;
  server: RoomServer;
  url: string;
  code: string;
}

export async function startRoom(options: { state?: RoomState; code?: string; port?: number; rate?: RateLimit; pingIntervalMs?: number } = {}): Promise<TestRoom> {
  const state = options.state ?? new RoomState();
  const code = options.code ?? newRoomCode();
  const server = await RoomServer.start({ state, code, port: options.port ?? 0, host: "127.0.0.1", rate: options.rate, pingIntervalMs: options.pingIntervalMs });
  cleanups.push(() => server.stop());
  return { state, server, code, url: server.joinUrls()[0]! };
}

/** A learner's link to `url`, on `step`, reconnecting like the app's. */
export function learner(url: string, name: string, step = "1", done: string[] = []): RoomLink {
  const link = new RoomLink({ url, name, learner: randomBytes(12).toString("hex") }, { step, done }, { reconnect: true, maxBackoffMs: 200 });
  cleanups.push(() => link.close());
  return link;
}

/** The room's rows by name, as the dashboard shows them (name → step, passed/total, failing). */
export function rowsByName(state: RoomState) {
  return Object.fromEntries(learnerRows(state, Date.now(), "name").map((r) => [r.name, { step: r.step, checks: `${r.passed}/${r.total}`, failing: r.failing, connected: r.connected }]));
}

export async function until(assertion: () => void, timeout = 15_000): Promise<void> {
  await vi.waitFor(assertion, { timeout, interval: 20 });
}

export { expect };
