// Part 4, the app, measured in a terminal (tmux, with a server of our own) as a learner starts and
// uses it:
// - launch → first screen, with the command README.md's Quick start says to type (read from the
//   README itself, so that the figure is of what people type), beside `npx workshop` and
//   `npm run workshop`, a bare Ink app and a bare Node program painting one line the same way;
// - key → frame: from a key sent to the pane until the screen shows what it did, the app idle and
//   while a run of checks is under way, beside a bare Ink app redrawing on each key.
// The CLI's memory while a container runs is measured with the containers (start.ts) and reported here.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { roundsFor, type BenchContext } from "./context.js";
import { interleave } from "./interleave.js";
import type { Figure, PartResult } from "./report.js";
import { pairedRatios, summarise } from "./stats.js";

const FIRST_SCREEN_MS = 500;
/** One frame at Ink's 30 frames a second, rounded up: a key must show within it. */
const KEY_MS = 50;
const COLUMNS = "100";
const ROWS = "30";
const NODE_FLOOR = `process.stdout.write("\\u001b[?1049hfirst screen"); setInterval(() => undefined, 60000)`;

/** The command README.md's Quick start gives to open the app: the last line of its first shell block. */
export function readmeStartCommand(repo: string): string {
  const readme = readFileSync(join(repo, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Quick start"));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  const command = block?.trim().split("\n").at(-1)?.trim();
  if (!command) throw new Error("README.md has no ## Quick start section with a ```sh block ending in the command that opens the app");
  return command;
}

export async function benchApp(ctx: BenchContext, memory: Figure[]): Promise<PartResult> {
  const title = "4. The app";
  const readme = readmeStartCommand(ctx.repo);
  const appStore = join(ctx.work, "app-store");
  const progress = join(ctx.work, "app-progress.json");
  const tmux = new Tmux(`workshop-bench-${process.pid}`, ctx.repo, { CONTAINER_ROOT: appStore, WORKSHOP_PROGRESS: progress, PATH: process.env.PATH ?? "" });
  ctx.cleanup.defer("stop the benchmark's tmux server", () => tmux.stop());
  tmux.start();
  const method =
    `Each program started in a ${COLUMNS}×${ROWS} tmux pane (a tmux server of the benchmark's own, already running) in the repository, ` +
    `timed from the \`new-session\` call until \`capture-pane\` first shows something on the alternate screen. \`${readme}\` is what ` +
    "README.md's Quick start says to type (the benchmark reads it there); beside it `npx workshop` and `npm run workshop`, a bare Ink app " +
    "(bench/ink-floor.ts: one <Text>) and a bare `node -e` writing one line. The app opens on a fresh progress file of the run's own. " +
    "Key → frame: a key (↓ or ↑ in the step list) sent with `send-keys`, timed until `capture-pane` shows the list's cursor moved, " +
    "with the app idle, and while it runs every step's checks (`a`, the reference solution as WORKSHOP_IMPL, so that they take a while); " +
    "beside the bare Ink app counting its keys. Both include tmux's own round trip. Memory: VmHWM and VmRSS of the `container run` " +
    "process while `sleep` runs in the container.";

  const fresh = () => rmSync(progress, { force: true });
  const { rounds, warmup } = roundsFor(ctx, 10, 3, 1);
  ctx.log(`App: ${rounds} rounds after ${warmup} warm-up of \`${readme}\`, npx, npm run, a bare Ink app and a bare Node program`);
  const starts = await interleave(
    {
      readme: () => (fresh(), tmux.timeFirstScreen(readme, { quit: "q" })),
      npx: () => (fresh(), tmux.timeFirstScreen("npx workshop", { quit: "q" })),
      npmRun: () => (fresh(), tmux.timeFirstScreen("npm run workshop", { quit: "q" })),
      ink: () => tmux.timeFirstScreen(shellLine([process.execPath, ctx.programs.inkFloor])),
      node: () => tmux.timeFirstScreen(shellLine([process.execPath, "-e", NODE_FLOOR])),
    },
    { rounds, warmup, onRound: (done, total) => process.stderr.write(`\r  first screen: round ${done}/${total} `) },
  );
  process.stderr.write("\n");

  const keyRounds = ctx.quick ? 10 : 30;
  ctx.log(`App: ${keyRounds} keys each, idle, while checks run, and in a bare Ink app`);
  const inkKeys = await tmux.timeKeys(shellLine([process.execPath, ctx.programs.inkFloor]), keyRounds, inkCounter);
  writeFileSync(progress, JSON.stringify({ currentStep: "1", hintsSeen: {}, passed: {} }));
  // Idle: once step 1's first run of the pristine exercises has stopped at its TODO.
  const idleKeys = await tmux.timeKeys(readme, keyRounds, listCursor, { settle: (screen) => screen.includes("Not started yet") });
  writeFileSync(progress, JSON.stringify({ currentStep: "1", hintsSeen: {}, passed: {} }));
  const busyKeys = await tmux.timeKeys(`WORKSHOP_IMPL=solutions ${readme}`, keyRounds, listCursor, { start: "a", during: (screen) => /Checking|Building/.test(screen) });

  const firstScreen = summarise(starts.readme);
  const keyFigure = (name: string, samples: number[]): Figure => {
    const value = summarise(samples);
    return { name, unit: "ms", value, ratios: [{ against: "bare Ink app", ratio: summarise(samples.map((ms) => ms / summarise(inkKeys).median)) }], target: { text: `≤ ${KEY_MS} ms`, met: value.median <= KEY_MS } };
  };
  return {
    title,
    method,
    figures: [
      {
        name: `\`${readme}\` (README): launch → first screen`,
        unit: "ms",
        value: firstScreen,
        ratios: [
          { against: "bare Ink app", ratio: summarise(pairedRatios(starts.readme, starts.ink)) },
          { against: "bare node -e", ratio: summarise(pairedRatios(starts.readme, starts.node)) },
        ],
        target: { text: `≤ ${FIRST_SCREEN_MS} ms`, met: firstScreen.median <= FIRST_SCREEN_MS },
      },
      { name: "`npx workshop`: launch → first screen", unit: "ms", value: summarise(starts.npx), ratios: [{ against: "README's command", ratio: summarise(pairedRatios(starts.npx, starts.readme)) }] },
      { name: "`npm run workshop`: launch → first screen", unit: "ms", value: summarise(starts.npmRun), ratios: [{ against: "README's command", ratio: summarise(pairedRatios(starts.npmRun, starts.readme)) }] },
      { name: "bare Ink app: launch → first screen", unit: "ms", value: summarise(starts.ink), ratios: [] },
      { name: "bare node -e: launch → first screen", unit: "ms", value: summarise(starts.node), ratios: [] },
      keyFigure("the app, idle: key → frame", idleKeys),
      keyFigure("the app, while checks run: key → frame", busyKeys),
      { name: "bare Ink app: key → frame", unit: "ms", value: summarise(inkKeys), ratios: [] },
      ...memory,
    ],
    notes: [],
  };
}

/** The row of the step list's cursor: what ↓ and ↑ move. */
function listCursor(screen: string): string {
  return String(screen.split("\n").findIndex((line) => /^│ ›/.test(line)));
}

/** The bare Ink app's count of keys. */
function inkCounter(screen: string): string {
  return /keys: (\d+)/.exec(screen)?.[1] ?? "";
}

interface ScreenOptions {
  /** Keys that make the program quit by itself; without, its session is killed. */
  quit?: string;
}

interface KeyOptions {
  /** Keys to send once the program is up, before the measured ones (`a`: run every step). */
  start?: string;
  /** Wait for this before the first key (the first run of checks over). */
  settle?: (screen: string) => boolean;
  /** Measure only while this holds (checks under way); sent keys outside it are not counted. */
  during?: (screen: string) => boolean;
}

/** A tmux server on a private socket: sessions are panes of a fixed size in the repository, read back as text. */
class Tmux {
  private session = 0;

  constructor(
    private readonly socket: string,
    private readonly cwd: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    // A session that only waits keeps the server up between measurements: its start is not timed.
    this.run("-f", "/dev/null", "new-session", "-d", "-s", "keep", "-x", COLUMNS, "-y", ROWS, "cat");
  }

  stop(): void {
    try {
      this.run("kill-server");
    } catch {
      // not running
    }
    // The server leaves its socket file behind.
    rmSync(join(process.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }

  /** Starts the shell line `command` in a new session; returns the ms until its first screen shows, then ends it. */
  async timeFirstScreen(command: string, options: ScreenOptions = {}): Promise<number> {
    const start = performance.now();
    const name = this.open(command);
    try {
      await this.firstScreen(name, start);
      return performance.now() - start;
    } finally {
      await this.end(name, options.quit);
    }
  }

  /**
   * Starts `command`, then sends ↓ and ↑ in turn, `count` times in all, each once the last has
   * shown: the ms from each key until `shown` (what the key changes on the screen) changes.
   */
  async timeKeys(command: string, count: number, shown: (screen: string) => string, options: KeyOptions = {}): Promise<number[]> {
    const name = this.open(command);
    const samples: number[] = [];
    try {
      await this.firstScreen(name, performance.now());
      if (options.settle) await this.until(name, options.settle, 120_000);
      if (options.start) this.run("send-keys", "-t", name, options.start);
      if (options.during) await this.until(name, options.during, 60_000);
      for (let key = 0; samples.length < count; key++) {
        let before = this.capture(name);
        if (options.during && !options.during(before)) {
          // The checks ended first: start them again.
          if (options.start) this.run("send-keys", "-t", name, options.start);
          before = await this.until(name, options.during, 60_000);
        }
        const start = performance.now();
        this.run("send-keys", "-t", name, key % 2 ? "Up" : "Down");
        const screen = await this.until(name, (s) => shown(s) !== shown(before), 10_000);
        if (!options.during || options.during(screen)) samples.push(performance.now() - start);
      }
      return samples;
    } finally {
      await this.end(name, "q");
    }
  }

  private open(command: string): string {
    const name = `s${this.session++}`;
    const env = Object.entries(this.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
    this.run("new-session", "-d", "-s", name, "-x", COLUMNS, "-y", ROWS, "-c", this.cwd, ...env, command);
    this.run("set-option", "-t", name, "remain-on-exit", "on");
    return name;
  }

  private async firstScreen(name: string, start: number): Promise<void> {
    const deadline = start + 20_000;
    // One tmux call per look while the pane is blank, so the polling costs little of the machine.
    for (let look = 1; ; look++) {
      const screen = this.capture(name);
      if (screen.trim() || look % 25 === 0) {
        const [alternate, dead] = this.run("display-message", "-p", "-t", name, "#{alternate_on} #{pane_dead}").trim().split(" ");
        if (alternate === "1" && screen.trim()) return;
        if (dead === "1") throw new Error(`${name} ended without drawing a screen:\n${screen}`);
      }
      if (performance.now() > deadline) throw new Error(`${name} showed nothing within 20 s`);
      await sleep(2);
    }
  }

  private async until(name: string, done: (screen: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const screen = this.capture(name);
      if (done(screen)) return screen;
      if (performance.now() > deadline) throw new Error(`the screen did not change as expected within ${timeoutMs / 1000} s:\n${screen}`);
      await sleep(1);
    }
  }

  private capture(name: string): string {
    return this.run("capture-pane", "-p", "-t", name);
  }

  /** Quits the program with its own key if it has one (so it cleans up after itself), else kills its session. */
  private async end(name: string, quit: string | undefined): Promise<void> {
    if (quit) {
      this.run("send-keys", "-t", name, quit);
      const deadline = performance.now() + 15_000;
      while (performance.now() < deadline && this.run("display-message", "-p", "-t", name, "#{pane_dead}").trim() !== "1") await sleep(20);
    }
    this.run("kill-session", "-t", name);
  }

  private run(...args: string[]): string {
    // The server starts with the first call and passes its environment on: keep it to PATH.
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: this.env.PATH } });
  }
}

function shellLine(args: string[]): string {
  return args.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(" ");
}
