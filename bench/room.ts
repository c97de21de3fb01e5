// Part 5, the room: `workshop room` (server, state file and dashboard in one process,
// bench/room-host.ts) with 200 simulated learners on loopback, each running its checks every
// 10 s, for a minute. Measured: the room process's CPU (of one core) and memory, and the
// dashboard's key-to-frame time while the room is busy.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { RoomLink } from "../app/room/client.js";
import { STEPS } from "../app/course/steps.js";
import type { BenchContext } from "./context.js";
import type { Figure, PartResult } from "./report.js";
import { summarise } from "./stats.js";
import { ROOM_NODE_FLAGS } from "../app/cli/room-process.js";

const LEARNERS = 200;
const CHECK_EVERY_MS = 10_000;
const CPU_TARGET = 5;
const MEMORY_TARGET_MB = 100;
const KEY_TARGET_MS = 50;
/** An instructor's pace: a key every few seconds, not a stream. */
const KEY_EVERY_MS = 3000;

type HostMessage = { url?: string; keyToFrameMs?: number; stopped?: boolean };

export async function benchRoom(ctx: BenchContext): Promise<PartResult> {
  const title = "5. The room";
  const durationMs = ctx.quick ? 15_000 : 60_000;
  const method =
    `\`workshop room\`'s server and state file in a process of their own (bench/room-host.ts), first headless (as without a terminal, ` +
    `but without the log lines), then with the dashboard (drawn by Ink to a 120×40 terminal that only counts writes); ` +
    `${LEARNERS} simulated learners on loopback (the app's own RoomLink), each sending a run of 5 checks every ` +
    `${CHECK_EVERY_MS / 1000} s (at a random offset), and now and then a step done and the next opened, for ${durationMs / 1000} s ` +
    `after they joined. CPU: the room process's user + system time over that time, as a share of one core; memory: its VmRSS at ` +
    `the end, its VmHWM, and its VmRSS before anyone joined. Key-to-frame: a key (s, sort) sent to the dashboard every ` +
    `${KEY_EVERY_MS / 1000} s, timed from its arrival in the room process until Ink writes the next frame.`;
  if (!ctx.programs.roomHost) return { title, method, figures: [], notes: ["not measurable: bench/room-host.ts was not bundled"] };

  const headless = await loadRound(ctx, "headless", durationMs);
  const drawn = await loadRound(ctx, "dashboard", durationMs);
  const keys = summarise(drawn.keyTimes);
  const one = (value: number) => ({ median: value, min: value, max: value, runs: 1 });
  const figures = (round: Round, label: string): Figure[] => [
    { name: `${label}: CPU, ${LEARNERS} learners`, unit: "%", value: one(round.cpu), ratios: [], target: { text: `< ${CPU_TARGET}% of a core`, met: round.cpu < CPU_TARGET } },
    { name: `${label}: memory at the end (VmRSS)`, unit: "MB", value: one(round.memory.rss), ratios: [], target: { text: `< ${MEMORY_TARGET_MB} MB`, met: round.memory.rss < MEMORY_TARGET_MB } },
    { name: `${label}: peak memory (VmHWM)`, unit: "MB", value: one(round.memory.hwm), ratios: [] },
    { name: `${label}: memory before anyone joined`, unit: "MB", value: one(round.floor.rss), ratios: [] },
  ];
  return {
    title,
    method,
    figures: [
      ...figures(headless, "room, headless"),
      ...figures(drawn, "room with dashboard"),
      { name: "dashboard key → frame, room busy", unit: "ms", value: keys, ratios: [], target: { text: `≤ ${KEY_TARGET_MS} ms`, met: keys.median <= KEY_TARGET_MS } },
    ],
    notes: [headless, drawn].map((r) => `${r.mode}: ${r.sent} messages sent by the learners in ${r.elapsedS.toFixed(0)} s (${(r.sent / r.elapsedS).toFixed(1)} a second)`),
  };
}

interface Round {
  mode: "headless" | "dashboard";
  cpu: number;
  memory: { rss: number; hwm: number };
  floor: { rss: number; hwm: number };
  keyTimes: number[];
  sent: number;
  elapsedS: number;
}

/** One room host under the learners' load for `durationMs`. */
async function loadRound(ctx: BenchContext, mode: Round["mode"], durationMs: number): Promise<Round> {
  // Ink draws every frame only outside CI; React's production build, as `workshop` loads it.
  // With the dashboard, as `workshop room` runs it: with the room's Node flags.
  const host = spawn(process.execPath, [...(mode === "dashboard" ? ROOM_NODE_FLAGS : []), ctx.programs.roomHost!, ctx.work, mode], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, CI: "0", CONTINUOUS_INTEGRATION: "0", NODE_ENV: "production" },
  });
  ctx.cleanup.defer(`stop the room host (${mode})`, () => {
    if (host.exitCode === null) host.kill("SIGKILL");
  });
  const inbox: HostMessage[] = [];
  const waiters: (() => void)[] = [];
  host.on("message", (m: HostMessage) => {
    inbox.push(m);
    waiters.splice(0).forEach((w) => w());
  });
  const next = async <K extends keyof HostMessage>(key: K): Promise<NonNullable<HostMessage[K]>> => {
    const deadline = performance.now() + 30_000;
    for (;;) {
      const at = inbox.findIndex((m) => m[key] !== undefined);
      if (at >= 0) return inbox.splice(at, 1)[0]![key]!;
      if (performance.now() > deadline || host.exitCode !== null) throw new Error(`the room host gave no ${key}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 1000);
      });
    }
  };

  const url = await next("url");
  // Before anyone joins: what Node (and React and Ink) take by themselves, for comparison.
  await sleep(2000);
  const floor = memoryOf(host.pid!);
  ctx.log(`Room (${mode}): ${LEARNERS} learners joining, then ${durationMs / 1000} s of checks every ${CHECK_EVERY_MS / 1000} s each`);
  const learners = Array.from({ length: LEARNERS }, (_, i) => new SimulatedLearner(url, `learner-${i + 1}`));
  ctx.cleanup.defer("close the simulated learners", () => Promise.all(learners.map((l) => l.stop())).then(() => undefined));
  const joined = await Promise.all(learners.map((l) => l.link.connected(30_000)));
  if (joined.some((ok) => !ok)) throw new Error(`${joined.filter((ok) => !ok).length} simulated learners could not join the room`);

  const cpuBefore = cpuTicks(host.pid!);
  const started = performance.now();
  for (const learner of learners) learner.start();
  const keyTimes: number[] = [];
  while (performance.now() - started < durationMs) {
    await sleep(KEY_EVERY_MS);
    if (mode === "dashboard") {
      host.send({ key: "s" });
      keyTimes.push(await next("keyToFrameMs"));
    }
    process.stderr.write(`\r  room (${mode}): ${Math.round((performance.now() - started) / 1000)} s of ${durationMs / 1000} `);
  }
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = ((cpuTicks(host.pid!) - cpuBefore) / TICKS_PER_SECOND / elapsedS) * 100;
  const memory = memoryOf(host.pid!);
  process.stderr.write("\n");
  const sent = learners.reduce((n, l) => n + l.sent, 0);
  await Promise.all(learners.map((l) => l.stop()));
  host.send({ stop: true });
  await next("stopped");
  // Gone before the next round starts (and, run with --cpu-prof, its profile written).
  if (host.exitCode === null) await new Promise((resolve) => host.once("exit", resolve));
  return { mode, cpu, memory, floor, keyTimes, sent, elapsedS };
}

/** One learner: joins, then runs "checks" every 10 s, now and then finishing a step and opening the next. */
class SimulatedLearner {
  readonly link: RoomLink;
  sent = 0;
  private step = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(url: string, name: string) {
    this.link = new RoomLink({ url, name, learner: randomBytes(12).toString("hex") }, { step: STEPS[0]!.id, done: [] }, { reconnect: true });
  }

  start(): void {
    const offset = Math.random() * CHECK_EVERY_MS;
    this.timer = setTimeout(() => {
      this.run();
      this.timer = setInterval(() => this.run(), CHECK_EVERY_MS);
    }, offset);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    await this.link.close();
  }

  private run(): void {
    const step = STEPS[this.step % STEPS.length]!.id;
    const passed = Math.floor(Math.random() * 6);
    const checks = Array.from({ length: 5 }, (_, i) => ({ id: `${step}.check-${i + 1}`, status: i < passed ? ("pass" as const) : ("fail" as const) }));
    const failing = checks.find((c) => c.status === "fail");
    this.link.send({ t: "checks", step, checks, ...(failing ? { failure: { check: failing.id, line: "expected the hostname to be box, got the host's" } } : {}) });
    this.sent++;
    if (!failing) {
      this.link.send({ t: "done", step });
      this.step++;
      this.link.send({ t: "step", step: STEPS[this.step % STEPS.length]!.id });
      this.sent += 2;
    }
  }
}

/** Clock ticks a second for /proc/PID/stat (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  // The fields after the command's name, which may hold spaces: utime and stime are 14th and 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}
