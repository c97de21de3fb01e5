/**
 * The real app in a real terminal: tmux at 80×24, keys sent as a person types them, the screen
 * read back. The app runs the real checks (against the pristine exercises) in the background.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuilt } from "../../app/build/bundle.mjs";
import { REPO } from "../../app/build/repo.mjs";
import { loadProgress } from "../../app/course/progress.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";
import { Terminal } from "../helpers/tmux.js";
import { Course, shippedExercises } from "./support.js";
import { processesMentioning } from "../reliability/processes.js";

const terminal = new Terminal();
const screen = () => terminal.screen();

async function shows(text: string, timeout = 15_000): Promise<void> {
  await vi.waitFor(() => expect(screen()).toContain(text), { timeout, interval: 50 });
}

/** The processes under `pid`, from each process's parent in /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const p of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      // "pid (comm) state ppid ...": the command name may hold spaces, so read after its ")".
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parents.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0; ) {
    const children = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...children);
    frontier = children;
  }
  return found;
}

const alive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

const traceDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("workshop-trace-"));

describe("the app in a terminal", () => {
  let course: Course;
  let root: string;

  beforeAll(() => {
    course = new Course();
    root = mkdtempSync(join(tmpdir(), "workshop-e2e-store-"));
  });

  afterAll(() => {
    terminal.close();
    course.remove();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts the app in an 80×24 tmux session; returns the file its exit status will be written to. */
  async function startApp(): Promise<string> {
    const built = await ensureBuilt({ name: "test-open-app", entries: { script: join(import.meta.dirname, "fixtures/open-app.ts") } });
    // The shell around the app records how it exited (tmux 3.3 can miss a pane's exit status).
    const status = join(course.repo, "exit-status");
    rmSync(status, { force: true });
    const command = [process.execPath, built.files.script, course.repo, shippedExercises(), root].map((a) => `'${a}'`).join(" ");
    terminal.open(`${command}; echo $? > '${status}'`, { keep: true });
    return status;
  }

  it("opens on the introduction, moves to step 1 then step 2, reveals a hint, and quits with q leaving no process", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    const tracesBefore = traceDirs();
    const status = await startApp();

    await shows("The intro page.");
    expect(screen()).toContain("No checks here: read on, then press n for step 1.");
    terminal.keys("n");
    await shows("Step 1 · Process creation");
    expect(screen()).toContain("The page of step 1.");
    terminal.keys("Down");
    await shows("PID and UTS namespaces");
    terminal.keys("Enter");
    await shows("Step 2 · PID and UTS namespaces");
    expect(screen()).toContain("The page of step 2.");
    terminal.keys("h");
    await shows("Hint 1 of step 2");

    const started = descendants(Number(terminal.pane("#{pane_pid}")));
    expect(started.length).toBeGreaterThan(0);
    terminal.keys("q");
    await vi.waitFor(() => expect(readFileSync(status, "utf8")).toBe("0\n"), { timeout: 15_000, interval: 50 });
    // The shell's screen is back, with one line on where the progress is and how to come back.
    // (With its scrollback: the shell's screen is back, with the line where its cursor was.)
    await vi.waitFor(() => expect(terminal.screen("-S", "-")).toContain("Progress saved in .workshop/progress.json. Come back with: ./bin/workshop"), { timeout: 15_000, interval: 50 });
    expect(started.filter(alive)).toEqual([]);
    expect(processesMentioning(course.repo)).toEqual([]);
    expect(processesMentioning(root)).toEqual([]);
    expect(traceDirs()).toEqual(tracesBefore);
    expect(loadProgress(course.progressFile)).toMatchObject({ currentStep: "2", hintsSeen: { "2": 1 } });
  }, 60_000);

  it("opens with the README's start command (bin/workshop) on the introduction of a fresh progress file, and n opens step 1", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    const progress = join(root, "readme-progress.json");
    const status = join(root, "readme-exit-status");
    const command = `cd '${REPO}' && WORKSHOP_PROGRESS='${progress}' CONTAINER_ROOT='${root}' '${process.execPath}' bin/workshop; echo $? > '${status}'`;
    terminal.open(command);
    const readme = (text: string) => vi.waitFor(() => expect(screen()).toContain(text), { timeout: 30_000, interval: 50 });
    await readme("No checks here: read on, then press n for step 1.");
    expect(loadProgress(progress).currentStep).toBe("intro");
    terminal.keys("n");
    await readme("Step 1 · Process creation");
    terminal.keys("q");
    await vi.waitFor(() => expect(readFileSync(status, "utf8")).toBe("0\n"), { timeout: 15_000, interval: 50 });
    expect(loadProgress(progress).currentStep).toBe("1");
  }, 60_000);

  it("prints where the learner stands when there is no terminal to draw on", async () => {
    course.saveProgress({ currentStep: "2", hintsSeen: {}, passed: { "1": ["1.a"] } });
    const built = await ensureBuilt({ name: "test-open-app", entries: { script: join(import.meta.dirname, "fixtures/open-app.ts") } });
    const result = spawnSync(process.execPath, [built.files.script as string, course.repo, shippedExercises()], { encoding: "utf8", timeout: 20_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^container-workshop: 0 of 6 steps done\n/);
    expect(result.stdout).toMatch(/◐ 1 {2}Process creation +1 of \d+ checks passed/);
    expect(result.stdout).toContain("\n  npx workshop check 2\n"); // as root: no sudo
    expect(result.stdout).not.toContain("\u001b");
  });

  it("stops its checks and cleans up when the terminal goes away in the middle of a run", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    const tracesBefore = traceDirs();
    await startApp();
    await shows("╭─ Checks");
    terminal.keys("r");
    await shows("Checking your code");
    const started = descendants(Number(terminal.pane("#{pane_pid}")));
    terminal.run("kill-server");
    await vi.waitFor(() => expect(started.filter(alive)).toEqual([]), { timeout: 15_000, interval: 50 });
    expect(processesMentioning(root)).toEqual([]);
    expect(traceDirs()).toEqual(tracesBefore);
  }, 60_000);
});
