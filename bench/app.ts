// Part 4, the app: time from the app being launched in a terminal (tmux, with a server of our
// own) to its first painted screen, beside a bare Ink app and a bare Node program painting one
// line in the same way. The CLI's memory while a container runs is measured with the containers
// (start.ts) and reported here.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { roundsFor, type BenchContext } from "./context.js";
import { interleave } from "./interleave.js";
import type { Figure, PartResult } from "./report.js";
import { pairedRatios, summarise } from "./stats.js";

const TARGET_MS = 500;
const COLUMNS = "100";
const ROWS = "30";
const NODE_FLOOR = `process.stdout.write("\\u001b[?1049hfirst screen"); setInterval(() => undefined, 60000)`;

export async function benchApp(ctx: BenchContext, memory: Figure[]): Promise<PartResult> {
  const title = "4. The app";
  const method = (subject: string) =>
    `${subject} started in a ${COLUMNS}×${ROWS} tmux pane (a tmux server of the benchmark's own, already running), timed from ` +
    "the `new-session` call until `capture-pane` first shows something on the alternate screen; beside it a bare Ink app " +
    "(bench/ink-floor.ts: one <Text>) and a bare `node -e` writing one line, started the same way. The checks the app starts " +
    "use a store root of the run's own. Memory: VmHWM and VmRSS of the `container run` process while `sleep` runs in the container.";
  const appStore = join(ctx.work, "app-store");
  const tmux = new Tmux(`workshop-bench-${process.pid}`, { CONTAINER_ROOT: appStore, PATH: process.env.PATH ?? "" });
  ctx.cleanup.defer("stop the benchmark's tmux server", () => tmux.stop());
  tmux.start();
  const subject = await chooseSubject(ctx, tmux, appStore);
  if (!subject) return { title, method: method("The app"), figures: memory, notes: ["not measurable yet: neither `workshop` nor app/tui's openApp opens the app"] };

  const { rounds, warmup } = roundsFor(ctx, 10, 3, 1);
  ctx.log(`App: ${rounds} rounds after ${warmup} warm-up, interleaved with a bare Ink app and a bare Node program`);
  const samples = await interleave(
    {
      app: () => tmux.timeFirstScreen(subject.command, { quit: "q" }),
      ink: () => tmux.timeFirstScreen([process.execPath, ctx.programs.inkFloor]),
      node: () => tmux.timeFirstScreen([process.execPath, "-e", NODE_FLOOR]),
    },
    { rounds, warmup, onRound: (done, total) => process.stderr.write(`\r  app: round ${done}/${total} `) },
  );
  process.stderr.write("\n");
  const value = summarise(samples.app);
  return {
    title,
    method: method(subject.described),
    figures: [
      {
        name: `${subject.name}: launch → first screen`,
        unit: "ms",
        value,
        ratios: [
          { against: "bare Ink app", ratio: summarise(pairedRatios(samples.app, samples.ink)) },
          { against: "bare node -e", ratio: summarise(pairedRatios(samples.app, samples.node)) },
        ],
        target: { text: `≤ ${TARGET_MS} ms`, met: value.median <= TARGET_MS },
      },
      { name: "bare Ink app: launch → first screen", unit: "ms", value: summarise(samples.ink), ratios: [] },
      { name: "bare node -e: launch → first screen", unit: "ms", value: summarise(samples.node), ratios: [] },
      ...memory,
    ],
    notes: subject.note ? [subject.note] : [],
  };
}

interface Subject {
  /** As the report names it. */
  name: string;
  /** For the method's sentence. */
  described: string;
  command: string[];
  note?: string;
}

/**
 * `workshop` if it opens the app; else the app's own entry (openApp, bench/open-app.ts) on a copy
 * of the course pages, so that the learner's progress file is left alone.
 */
async function chooseSubject(ctx: BenchContext, tmux: Tmux, appStore: string): Promise<Subject | undefined> {
  const workshop = join(ctx.repo, "bin/workshop");
  if (existsSync(workshop)) {
    let opensApp = true;
    await tmux.timeFirstScreen([process.execPath, workshop], { quit: "q", onPlainOutput: () => (opensApp = false) });
    if (opensApp) return { name: "`workshop`", described: "`node bin/workshop`", command: [process.execPath, workshop] };
  }
  if (!ctx.programs.openApp) return undefined;
  const course = join(ctx.work, "course");
  cpSync(join(ctx.repo, "docs"), join(course, "docs"), { recursive: true });
  symlinkSync(join(ctx.repo, "solutions"), join(course, "solutions"));
  return {
    name: "the app (openApp)",
    described: "The app's own entry (`openApp` of app/tui, bundled from bench/open-app.ts, on a copy of the course pages)",
    command: [process.execPath, ctx.programs.openApp, course, "exercises", appStore],
    note: "`workshop` does not open the app yet: measured through openApp, which it is to call (without the launcher's freshness check, ~2 ms)",
  };
}

interface ScreenOptions {
  /** Keys that make the program quit by itself; without, its session is killed. */
  quit?: string;
  /** Called when the program wrote to the normal screen and exited instead. */
  onPlainOutput?: (text: string) => void;
}

/** A tmux server on a private socket: sessions are panes of a fixed size, read back as text. */
class Tmux {
  private session = 0;

  constructor(
    private readonly socket: string,
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

  /** Starts `command` in a new session; returns the ms until its first screen shows, then ends it. */
  async timeFirstScreen(command: string[], options: ScreenOptions = {}): Promise<number> {
    const name = `s${this.session++}`;
    const env = Object.entries(this.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
    const start = performance.now();
    this.run("new-session", "-d", "-s", name, "-x", COLUMNS, "-y", ROWS, ...env, command.map(quote).join(" "));
    try {
      this.run("set-option", "-t", name, "remain-on-exit", "on");
      const deadline = start + 20_000;
      // One tmux call per look while the pane is blank, so the polling costs little of the machine.
      for (let look = 1; ; look++) {
        const screen = this.run("capture-pane", "-p", "-t", name);
        if (screen.trim() || look % 25 === 0) {
          const [alternate, dead] = this.run("display-message", "-p", "-t", name, "#{alternate_on} #{pane_dead}").trim().split(" ");
          if (alternate === "1" && screen.trim()) return performance.now() - start;
          if (dead === "1") {
            options.onPlainOutput?.(screen);
            return performance.now() - start;
          }
        }
        if (performance.now() > deadline) throw new Error(`${command.join(" ")} showed nothing within 20 s`);
        await sleep(2);
      }
    } finally {
      await this.end(name, options.quit);
    }
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

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
