// The instructor's dashboard (ink-testing-library): stuck learners first, the room's summary,
// keys to sort, filter and read one learner's failure, names without their escape sequences.
import chalk from "chalk";
import { render } from "ink-testing-library";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseLearnerMessage } from "../../app/room/protocol.js";
import { RoomState } from "../../app/room/state.js";
import { STEPS } from "../../app/course/steps.js";
import { RoomDashboard } from "../../app/tui/room-dashboard.js";

const ENTER = "\r";
const ESCAPE = "\u001b";
const DOWN = "\u001b[B";

let clock = 1_000_000;
const now = () => clock;
const screens: { unmount(): void }[] = [];
afterEach(() => screens.splice(0).forEach((s) => s.unmount()));

/** Applies messages as the server would, once they parsed. */
function say(state: RoomState, learner: string, message: object): void {
  state.apply(learner, parseLearnerMessage(JSON.stringify(message)));
}

function hello(state: RoomState, learner: string, name: string, step: string, done: string[] = []): void {
  say(state, learner, { t: "hello", learner, name, step, done });
  state.connection(learner, 1);
}

/** A room of four: Ana stuck on step 2 for 20 minutes, Bo failing on 3 since 5, Cy working, Di finished. */
function room(): RoomState {
  const state = new RoomState(now);
  clock = 1_000_000;
  hello(state, "a", "Ana", "2");
  say(state, "a", { t: "checks", step: "2", checks: [{ id: "2.pid-one", status: "fail" }, { id: "2.hostname", status: "pass" }], failure: { check: "2.pid-one", line: "the command's pid was 7, not 1" } });
  clock += 15 * 60_000;
  hello(state, "b", "Bo", "3");
  say(state, "b", { t: "checks", step: "3", checks: [{ id: "3.proc", status: "fail" }, { id: "2.pid-one", status: "pass" }] });
  hello(state, "c", "Cy", "3");
  say(state, "c", { t: "checks", step: "3", checks: [{ id: "3.proc", status: "pass" }, { id: "3.dev", status: "not-started" }] });
  hello(state, "d", "Di", "outro", STEPS.filter((s) => !s.bonus).map((s) => s.id));
  state.connection("d", -1);
  clock += 5 * 60_000;
  return state;
}

const TITLES: Record<string, string> = { "2.pid-one": "The command is PID 1", "3.proc": "/proc is the container's" };

function show(state: RoomState, projector = false) {
  const screen = render(<RoomDashboard state={state} joinCommands={["workshop join http://10.0.0.5:4711/r/abcdefghijklmnopqrstuv --name YOUR-NAME"]} projector={projector} checkTitle={(id) => TITLES[id] ?? id} now={now} redrawMs={10} />);
  screens.push(screen);
  const frame = () => stripVTControlCharacters(screen.lastFrame() ?? "");
  const lines = () => frame().split("\n").map((l) => l.trimEnd());
  return { screen, frame, lines, rows: () => lines().filter((l) => /^[ ›] [✗✓◐○] /.test(l)) };
}

async function press(screen: ReturnType<typeof show>, key: string, until: (frame: string) => boolean): Promise<void> {
  screen.screen.stdin.write(key);
  await vi.waitFor(() => expect(until(screen.frame()), `after ${JSON.stringify(key)}:\n${screen.frame()}`).toBe(true), { timeout: 10_000 });
}

describe("the room's dashboard", () => {
  it("shows the stuck first, with step, checks, time on the step and the failing check; and the room's summary", () => {
    const { lines, rows } = show(room());
    expect(lines().slice(0, 4)).toEqual([
      " Room · 4 learners · 3 connected",
      " workshop join http://10.0.0.5:4711/r/abcdefghijklmnopqrstuv --name YOUR-NAME",
      " On: 2 ×1  3 ×2  outro ×1   Most failed: The command is PID 1 (1)",
      " Finished: Di",
    ]);
    expect(rows()).toEqual([
      "› ✗ Ana              2            1/2     20 min   20 min   The command is PID 1",
      "  ✗ Bo               3            1/2     5 min    5 min    /proc is the container's",
      "  ◐ Cy               3            1/2     5 min    5 min",
      "  ✓ Di               outro        –       5 min    offline",
    ]);
  });

  it("sorts (s), filters (f), and opens the selected learner's latest failure (enter), then goes back (esc)", async () => {
    const screen = show(room());
    await press(screen, "s", (f) => f.includes("s sort: name"));
    await press(screen, "s", (f) => f.includes("s sort: step"));
    expect(screen.rows().map((r) => r.slice(4, 8).trim())).toEqual(["Ana", "Bo", "Cy", "Di"]);
    await press(screen, "f", (f) => f.includes("f filter: failing"));
    expect(screen.rows().map((r) => r.slice(4, 8).trim())).toEqual(["Ana", "Bo"]);
    await press(screen, "f", (f) => f.includes("f filter: offline"));
    expect(screen.rows().map((r) => r.slice(4, 8).trim())).toEqual(["Di"]);
    await press(screen, "f", (f) => f.includes("f filter: all"));
    await press(screen, DOWN, (f) => f.includes("› ✗ Bo"));
    // Keys that came in one read (key repeat), each on its own.
    await press(screen, "jjjk", (f) => f.includes("› ◐ Cy"));
    await press(screen, "s", (f) => f.includes("s sort: seen"));
    await press(screen, "s", (f) => f.includes("s sort: stuck"));
    await press(screen, "kk", (f) => f.includes("› ✗ Ana"));
    await press(screen, ENTER, (f) => f.includes("the command's pid was 7"));
    expect(screen.lines().slice(4, 7)).toEqual([" Ana · on 2 for 20 min · 1/2 checks passed", " ✗ The command is PID 1", "   the command's pid was 7, not 1"]);
    await press(screen, ESCAPE, (f) => f.includes("› ✗ Ana"));
  });

  it("follows the room as messages arrive", async () => {
    const state = room();
    const screen = show(state);
    say(state, "a", { t: "checks", step: "2", checks: [{ id: "2.pid-one", status: "pass" }, { id: "2.hostname", status: "pass" }] });
    say(state, "a", { t: "done", step: "2" });
    say(state, "a", { t: "step", step: "3" });
    await vi.waitFor(() => expect(screen.rows()[0]).toMatch(/^› ✗ Bo /), { timeout: 10_000 });
    expect(screen.rows().find((r) => r.includes("Ana"))).toMatch(/Ana {14}3 {12}– {7}< 1 min/);
  });

  it("shows a name sent with escape sequences as its printable text only", () => {
    const state = new RoomState(now);
    hello(state, "e", "\u001b]0;owned\u0007\u001b[2J\u001b[31mEve\u001b[0m", "1");
    const screen = show(state);
    expect(screen.screen.lastFrame()).not.toMatch(/\u001b\]|\u001b\[2J|owned/);
    expect(screen.rows()).toEqual(["› ○ Eve              1            –       < 1 min  < 1 min"]);
  });

  it("says so in projector mode, and draws in bright colours and bold, no grey", () => {
    const level = chalk.level;
    chalk.level = 3;
    try {
      const screen = show(room(), true);
      expect(screen.lines()[0]).toBe(" Room · 4 learners · 3 connected  [projector]");
      const frame = screen.screen.lastFrame()!;
      expect(frame).not.toContain("\u001b[90m"); // grey
      expect(frame).toContain("\u001b[1m"); // bold
      expect(frame).toContain("\u001b[91m"); // bright red, the failing checks
      expect(show(room()).screen.lastFrame()).toContain("\u001b[90m");
    } finally {
      chalk.level = level;
    }
  });
});
