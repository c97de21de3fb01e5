// Part 4, the app: time from `workshop` being launched in a terminal (tmux, with a server of our
// own) to its first painted screen, beside a bare Ink app and a bare Node program painting one
// line in the same way. The CLI's memory while a container runs is measured with the containers
// (start.ts) and reported here.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
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
  const method =
    `\`node bin/workshop\` started in a ${COLUMNS}×${ROWS} tmux pane (a tmux server of the benchmark's own, already running), ` +
    `timed from the \`new-session\` call until \`capture-pane\` first shows something on the alternate screen; beside it a bare ` +
    `Ink app (bench/ink-floor.ts: one <Text>) and a bare \`node -e\` writing one line, started the same way. The checks the app ` +
    `starts use a store root of the run's own. Memory: VmHWM and VmRSS of the \`container run\` process while \`sleep\` runs in the container.`;
  const workshop = join(ctx.repo, "bin/workshop");
  if (!existsSync(workshop)) return { title, method, figures: memory, notes: ["not measurable yet: bin/workshop does not exist"] };

  const tmux = new Tmux(`workshop-bench-${process.pid}`, { CONTAINER_ROOT: join(ctx.work, "app-store"), PATH: process.env.PATH ?? "" });
  ctx.cleanup.defer("stop the benchmark's tmux server", () => tmux.stop());
  tmux.start();
  const { rounds, warmup } = roundsFor(ctx, 10, 3, 1);
  ctx.log(`App: ${rounds} rounds after ${warmup} warm-up, interleaved with a bare Ink app and a bare Node program`);
  let plainOutput: string | undefined;
  const samples = await interleave(
    {
      app: () => tmux.timeFirstScreen([process.execPath, workshop], { quit: "q", onPlainOutput: (text) => (plainOutput ??= text) }),
      ink: () => tmux.timeFirstScreen([process.execPath, ctx.programs.inkFloor]),
      node: () => tmux.timeFirstScreen([process.execPath, "-e", NODE_FLOOR]),
    },
    { rounds, warmup, onRound: (done, total) => process.stderr.write(`\r  app: round ${done}/${total} `) },
  );
  process.stderr.write("\n");
  if (plainOutput !== undefined) return { title, method, figures: memory, notes: [notYetTheApp(plainOutput)] };
  const value = summarise(samples.app);
  return {
    title,
    method,
    figures: [
      {
        name: "`workshop`: launch → first screen",
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
    notes: [],
  };
}

function notYetTheApp(text: string): string {
  const first = text.trim().split("\n")[0] ?? "";
  return `not measurable yet: \`workshop\` printed text and exited instead of opening the app ("${first.slice(0, 60)}")`;
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
      for (;;) {
        const [alternate, dead] = this.run("display-message", "-p", "-t", name, "#{alternate_on} #{pane_dead}").trim().split(" ");
        const screen = this.run("capture-pane", "-p", "-t", name);
        if (alternate === "1" && screen.trim()) return performance.now() - start;
        if (dead === "1") {
          options.onPlainOutput?.(screen);
          return performance.now() - start;
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
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
