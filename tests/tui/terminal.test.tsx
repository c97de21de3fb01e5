// The app and its terminal: Ctrl-Z and the editor hand the terminal over and take it back, the
// mouse scrolls and opens steps. The terminal is a recording stand-in here; e2e.test.ts drives the real one.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TerminalControl } from "../../app/tui/terminal-control.js";
import { Course, KEY, renderApp, ScriptedRunner } from "./support.js";

let course: Course;
beforeEach(() => {
  course = new Course();
  course.startAt("1");
});
afterEach(() => course.remove());

/** Records what the app asks of its terminal; `during` runs while the app is away (stopped, or in the editor). */
function recordingTerminal(during: (what: string) => string | void = () => undefined) {
  const calls: string[] = [];
  const terminal: TerminalControl = {
    leave: () => void calls.push("leave"),
    enter: ({ mouse }) => void calls.push(`enter${mouse ? " with mouse" : ""}`),
    setMouse: (on) => void calls.push(`mouse ${on ? "on" : "off"}`),
    stop: () => {
      calls.push("stop");
      return void during("stop");
    },
    run: (command, file) => {
      calls.push(`run ${command} ${file}`);
      return during("run") ?? undefined;
    },
  };
  return { terminal, calls };
}

/** Sets environment variables for one test. */
function withEnv(env: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(env);
  return () => set(saved);
}

describe("ctrl-z", () => {
  it("stops the checks under way, gives the terminal back, stops, then takes it again, redraws and runs the checks again", async () => {
    const runner = new ScriptedRunner();
    const { terminal, calls } = recordingTerminal();
    const app = await renderApp({ course, runner, services: { terminal } });
    const first = await runner.latest(1);
    await app.checksShow("Checking your code");
    const frames = app.frames.length;
    app.stdin.write("\u001a");
    await vi.waitFor(() => expect(calls).toEqual(["leave", "stop", "enter with mouse"]), { timeout: 10_000 });
    expect(first.aborted).toBe(true);
    // Drawn again after coming back, and the checks run again.
    const again = await runner.latest(2);
    expect(again.stepId).toBe("1");
    await app.checksShow("continued after ctrl-z");
    expect(app.frames.length).toBeGreaterThan(frames);
    await app.shows("The page of step 1.");
    app.unmount();
  });

  it("says so, and does nothing else, without a terminal of its own", async () => {
    const app = await renderApp({ course });
    await app.press("\u001a");
    await app.shows("Ctrl-Z needs the app in a terminal of its own.");
    app.unmount();
  });
});

describe("e, the editor", () => {
  it("opens the step's file of the learner's code in $VISUAL (before $EDITOR) and comes back", async () => {
    const restore = withEnv({ VISUAL: "myvisual --wait", EDITOR: "myeditor" });
    try {
      const impl = course.copyExercises();
      const { terminal, calls } = recordingTerminal();
      const app = await renderApp({ course, impl, services: { terminal } });
      await app.shows("The page of step 1.");
      await app.press("e");
      await vi.waitFor(() => expect(calls).toEqual(["leave", `run myvisual --wait ${join(impl, "process.ts")}`, "enter with mouse"]), { timeout: 10_000 });
      await app.shows("The page of step 1.");
      app.unmount();
    } finally {
      restore();
    }
  });

  it("takes $EDITOR without $VISUAL, and says in one line why the editor failed", async () => {
    const restore = withEnv({ VISUAL: undefined, EDITOR: "nosuchedit" });
    try {
      const { terminal, calls } = recordingTerminal(() => "nosuchedit was not found");
      const app = await renderApp({ course, services: { terminal }, columns: 160 });
      await app.shows("The page of step 1.");
      await app.press("e");
      await app.shows(/Could not open [^\n]*process\.ts: nosuchedit was not found\./);
      expect(calls[1]).toMatch(/^run nosuchedit .*process\.ts$/);
      app.unmount();
    } finally {
      restore();
    }
  });

  it("says in one line that no editor is set, and opens nothing", async () => {
    const restore = withEnv({ VISUAL: undefined, EDITOR: undefined });
    try {
      const { terminal, calls } = recordingTerminal();
      const app = await renderApp({ course, services: { terminal }, columns: 160 });
      await app.shows("The page of step 1.");
      await app.press("e");
      await app.shows(/No editor set: export EDITOR=nano \(or \$VISUAL\) to open [^\n]*process\.ts with e\./);
      expect(calls).toEqual([]);
      app.unmount();
    } finally {
      restore();
    }
  });
});

/** An SGR mouse report as the terminal sends it: `button` at column x, row y (from 1). */
const mouse = (button: number, x: number, y: number, press = true) => `\u001b[<${button};${x};${y}${press ? "M" : "m"}`;
const WHEEL_UP = 64;
const WHEEL_DOWN = 65;

describe("the mouse", () => {
  it("scrolls the page under the wheel, three lines a notch, whichever pane has the focus", async () => {
    course.startAt("intro");
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The intro page.");
    await app.press(KEY.tab);
    // The page is right of the 36-column list, from row 2.
    app.stdin.write(mouse(WHEEL_DOWN, 60, 10));
    await app.shows(/^(?![\s\S]*The intro page\.)/);
    app.stdin.write(mouse(WHEEL_UP, 60, 10));
    await app.shows("The intro page.");
    app.unmount();
  });

  it("opens the step clicked in the list; the wheel over the list moves its cursor", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 1.");
    // Row 1 the header, row 2 the list's top border, row 3 the introduction: step 3 is on row 6.
    app.stdin.write(mouse(0, 8, 6) + mouse(0, 8, 6, false));
    await app.shows("The page of step 3.");
    app.stdin.write(mouse(WHEEL_DOWN, 8, 20));
    await app.press(KEY.enter);
    await app.shows("The page of step 4.");
    app.unmount();
  });

  it("on a narrow screen, opens the step clicked in the header's strip", async () => {
    for (const env of [{}, { NO_COLOR: "1" }]) {
      const restore = withEnv(env);
      course.startAt("1");
      try {
        const app = await renderApp({ course, columns: 80, rows: 24 });
        await app.shows(/^ intro [\s\S]*The page of step 1\./);
        // Where the strip shows 3 and 5, counted from 1 as the terminal does.
        const strip = app.screen().split("\n")[0] as string;
        app.stdin.write(mouse(0, strip.indexOf("3") + 1, 1));
        await app.shows("The page of step 3.");
        app.stdin.write(mouse(0, (app.screen().split("\n")[0] as string).indexOf("5") + 1, 1));
        await app.shows("The page of step 5.");
        app.unmount();
      } finally {
        restore();
      }
    }
  });

  it("focuses the pane clicked: the checks, then the page (drawn heavy without colour)", async () => {
    const restore = withEnv({ NO_COLOR: "1" });
    try {
      const app = await renderApp({ course, columns: 120, rows: 40 });
      await app.shows("┏━ Steps");
      const checksTop = app.screen().split("\n").findIndex((l) => l.includes("─ Checks"));
      // Rows count from 1: the checks' first row is under their border.
      app.stdin.write(mouse(0, 60, checksTop + 2));
      await app.shows("┏━ Checks");
      app.stdin.write(mouse(0, 60, 5));
      await app.shows("┏━ Step 1 · Process creation");
      // Reading the page, the checks shrink to their one line.
      expect(app.screen()).toContain("╶─ Checks");
      app.unmount();
    } finally {
      restore();
    }
  });

  it("m turns the terminal's mouse reporting off and on again, and says how to select text", async () => {
    const { terminal, calls } = recordingTerminal();
    const app = await renderApp({ course, services: { terminal } });
    await app.shows("The page of step 1.");
    await app.press("m");
    await app.shows("Mouse off: drag to select text; m turns the mouse back on.");
    await app.press("m");
    await app.shows("Mouse on: wheel scrolls, click opens a step; Shift-drag selects text.");
    expect(calls).toEqual(["mouse off", "mouse on"]);
    // Away and back, the terminal gets the mouse as it was left.
    await app.press("m", "\u001a");
    await vi.waitFor(() => expect(calls.slice(2)).toEqual(["mouse off", "leave", "stop", "enter"]), { timeout: 10_000 });
    app.unmount();
  });
});
