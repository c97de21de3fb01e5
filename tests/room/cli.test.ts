// `workshop room` without a terminal (one line per event), `join` and `leave`, and a room stopped
// and started again on its state file: the same URL, every learner kept.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { collect } from "../helpers/container.js";
import { ROOM_NODE_FLAGS } from "../../app/cli/room-process.js";
import { listProcesses } from "../reliability/processes.js";
import { until } from "./support.js";

const work = mkdtempSync(join(tmpdir(), "workshop-room-cli-"));
const rooms: ChildProcess[] = [];
afterEach(() => {
  for (const room of rooms.splice(0)) if (room.exitCode === null) room.kill("SIGKILL");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = (who?: string) => ({ PATH: process.env.PATH, NO_COLOR: "1", ...(who ? { WORKSHOP_PROGRESS: join(work, `${who}.json`) } : {}) });
const workshop = (who: string | undefined, ...args: string[]) => collect(spawn(process.execPath, [join(REPO, "bin/workshop"), ...args], { env: env(who) }), { timeout: 60_000 });

/** `workshop room` in the background; `output()` is what it printed so far. */
function room(...args: string[]) {
  const child = spawn(process.execPath, [join(REPO, "bin/workshop"), "room", "--host", "127.0.0.1", ...args], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
  rooms.push(child);
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    output: () => output,
    async url(): Promise<string> {
      await until(() => expect(output).toMatch(/\n/), 30_000);
      const match = /^workshop join (http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{22}) --name YOUR-NAME\n/.exec(output);
      expect(match, output).not.toBeNull();
      return match![1]!;
    },
    async stop(): Promise<number | null> {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

describe("workshop room, join and leave", () => {
  it("prints the join command first, one line per event, and keeps the room across a restart", { timeout: 120_000 }, async () => {
    const state = join(work, "room.json");
    const first = room("--port", "0", "--state", state);
    const url = await first.url();
    expect((statSync(state).mode & 0o777).toString(8)).toBe("600");

    const joined = await workshop("ana", "join", url, "--name", "Ana");
    expect(joined).toMatchObject({ status: 0, stderr: "" });
    expect(joined.stdout).toMatch(/^Joined the room at 127\.0\.0\.1:\d+ as Ana: /);
    await until(() => expect(first.output()).toMatch(/\n\d\d:\d\d:\d\d Ana joined, on intro\n/));
    await until(() => expect(first.output()).toMatch(/\n\d\d:\d\d:\d\d Ana disconnected\n/));
    expect(await first.stop()).toBe(0);
    expect(JSON.parse(readFileSync(state, "utf8")).learners.map((l: { name: string }) => l.name)).toEqual(["Ana"]);

    // Started again without --port: the same port and code, so the learners' URL still works.
    const second = room("--state", state);
    expect(await second.url()).toBe(url);
    expect(second.output()).toContain("1 learner(s) restored");
    const status = await workshop(undefined, "room", "--status", url, "--json");
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout).learners).toEqual([{ name: "Ana", step: "intro", passed: 0, total: 0, failing: null, connected: false, finished: false }]);

    const left = await workshop("ana", "leave");
    expect(left.stdout).toMatch(/^Left the room at 127\.0\.0\.1:\d+: nothing more is shared\.\n$/);
    await until(() => expect(second.output()).toMatch(/\n\d\d:\d\d:\d\d Ana left the room\n/));
    expect(JSON.parse(readFileSync(join(work, "ana.json"), "utf8")).room).toBeUndefined();
    expect(JSON.parse((await workshop(undefined, "room", "--status", url, "--json")).stdout).learners).toEqual([]);
    expect((await workshop("ana", "leave")).stdout).toBe("You are in no room.\n");
    expect(await second.stop()).toBe(0);
  });

  it("in a terminal, draws the dashboard from a Node with the room's flags (a small young generation), and q quits", { timeout: 60_000 }, async () => {
    const state = join(work, "dashboard-room.json");
    const command = [process.execPath, join(REPO, "bin/workshop"), "room", "--host", "127.0.0.1", "--port", "0", "--state", state].map((a) => `'${a}'`).join(" ");
    // util-linux's script: a terminal for the room, typed into through its stdin.
    const terminal = spawn("script", ["-qec", command, "/dev/null"], { env: env(), stdio: ["pipe", "pipe", "pipe"] });
    rooms.push(terminal);
    let screen = "";
    terminal.stdout!.setEncoding("utf8").on("data", (d: string) => (screen += d));
    const exited = new Promise<number | null>((resolve) => terminal.once("exit", (code) => resolve(code)));
    await until(() => expect(screen).toContain("Room · 0 learners · 0 connected"), 30_000);
    const drawing = listProcesses().filter((p) => p.command.includes(state) && p.command.includes("bin/workshop room"));
    expect(drawing.map((p) => ROOM_NODE_FLAGS.every((flag) => p.command.includes(flag)))).toEqual([false, true]);
    terminal.stdin!.write("q");
    expect(await exited).toBe(0);
    expect(listProcesses().filter((p) => p.command.includes(state))).toEqual([]);
  });

  it.each([
    [["join", "http://10.0.0.1:4711/", "--name", "Ana"], 'workshop: "http://10.0.0.1:4711/" is not a room\'s URL\n  copy the URL from the line `workshop room` printed: http://HOST:PORT/r/CODE\n', 2],
    [["join", "http://127.0.0.1:9/r/abcdefghijklmnopqrstuv"], "workshop: a name is needed, as the instructor will see it\n  usage: workshop join URL --name NAME\n", 2],
    [["join", "http://127.0.0.1:9/r/abcdefghijklmnopqrstuv", "--name", "\u001b[2J"], "workshop: a name is needed, as the instructor will see it\n  workshop join URL --name NAME (at most 32 characters)\n", 2],
    [["room", "--port", "99999"], 'workshop: --port takes a port number, 0 to 65535 (got "99999")\n  usage: workshop room [--port N] [--host ADDRESS] [--state FILE] [--projector] | workshop room --status URL [--json]\n', 2],
    [["room", "--status", "http://127.0.0.1:9/r/abcdefghijklmnopqrstuv"], /^workshop: the room at http:\/\/127\.0\.0\.1:9\/r\/abcdefghijklmnopqrstuv did not answer \(.*\)\n {2}is `workshop room` running, and is this machine on its network\?\n$/, 125],
  ])("workshop %j says what is wrong", async (args, stderr, status) => {
    const result = await workshop("nobody", ...args);
    expect(result.stderr).toMatch(typeof stderr === "string" ? new RegExp(`^${stderr.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : stderr);
    expect(result.status).toBe(status);
  });
});
