// What the app shows: without colour (NO_COLOR, TERM=dumb), a check's whole text, projector mode,
// the trace of a run.
import chalk from "chalk";
import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { colorDisabled } from "../../app/format.js";
import { applyColorPreference } from "../../app/tui/theme.js";
import type { CheckInfo } from "../../app/tui/runner.js";
import { Course, KEY, renderApp, ScriptedRunner } from "./support.js";

let course: Course;
beforeEach(() => {
  course = new Course();
  course.startAt("3");
});
afterEach(() => course.remove());

/** A runner whose step 3 has seven checks, as the real one has. */
function sevenChecks(): ScriptedRunner {
  const runner = new ScriptedRunner();
  const base = runner.checksOf;
  runner.checksOf = (id: string): CheckInfo[] => (id === "3" ? Array.from({ length: 7 }, (_, i) => ({ id: `3.c${i}`, title: `check number ${i} of step 3` })) : base(id));
  return runner;
}

/** Runs `body` with NO_COLOR (or TERM=dumb) set, as the app sees it from its start. */
async function withoutColour(env: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const level = chalk.level;
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  chalk.level = 3;
  Object.assign(process.env, env);
  try {
    applyColorPreference();
    await body();
  } finally {
    chalk.level = level;
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe("without colour", () => {
  it("TERM=dumb counts as no colour, as NO_COLOR does", () => {
    expect(colorDisabled({ TERM: "dumb" })).toBe(true);
    expect(colorDisabled({ NO_COLOR: "1", TERM: "xterm-256color" })).toBe(true);
    expect(colorDisabled({ TERM: "xterm-256color" })).toBe(false);
  });

  for (const env of [{ NO_COLOR: "1" }, { TERM: "dumb" }] as Record<string, string>[]) {
    it(`with ${Object.entries(env)[0]?.join("=")}, the focused checks pane (heavy border) shows every row, none blank`, async () => {
      await withoutColour(env, async () => {
        const runner = sevenChecks();
        const app = await renderApp({ course, runner, columns: 100, rows: 40 });
        const run = await runner.latest();
        for (const check of runner.checksOf("3")) run.options.onResult?.({ ...check, step: "3", status: "pass", durationMs: 100 });
        run.end();
        await app.shows("Step 3 passes!");
        await app.press(KEY.tab, KEY.tab);
        await app.shows("┏━ Checks");
        const lines = app.screen().split("\n");
        const top = lines.findIndex((l) => l.includes("┏━ Checks"));
        // Right under the border: the status, then the seven checks in order.
        const inside = lines.slice(top + 1, top + 9).map((l) => l.slice(l.lastIndexOf("┃", l.length - 2) + 1, -1).trim());
        expect(inside[0]).toMatch(/^✓ Step 3 passes!/);
        // The pane's cursor on the first check: without inverse drawn, a mark says where it is.
        expect(inside.slice(1).map((l) => l.replace(/\s+\d+ ms$/, ""))).toEqual(Array.from({ length: 7 }, (_, i) => `✓${i === 0 ? "›" : " "}check number ${i} of step 3`));
        expect(app.lastFrame()).not.toMatch(/\u001b\[/);
        app.unmount();
      });
    });
  }

  it("marks the open step when the cursor leaves it, in the list and in the narrow screen's strip", async () => {
    await withoutColour({ NO_COLOR: "1" }, async () => {
      const app = await renderApp({ course, columns: 120, rows: 40 });
      await app.shows("The page of step 3.");
      await app.press(KEY.down, KEY.down);
      await app.shows(/[│┃] •[○⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏✓✗◐] 3 Mount namespace/);
      expect(app.screen()).toMatch(/[│┃] ›○ 5 Volumes/);
      app.resize(80, 24);
      await app.shows(/^ intro ○1 ○2 •\S3 ○4 ›○5 /m);
      app.unmount();
    });
  });
});

describe("a check's whole text", () => {
  const long = "Root in the container keeps only Docker's default capabilities (and not CAP_SYS_CHROOT under chroot), whatever the image asks for";

  it("Enter on a check in the checks pane shows its whole title and what it said, even when it passed; Enter again closes it", async () => {
    const runner = new ScriptedRunner();
    runner.checksOf = (id: string): CheckInfo[] => [
      { id: `${id}.short`, title: "a short one" },
      { id: `${id}.long`, title: long },
    ];
    const app = await renderApp({ course, runner, columns: 80, rows: 30 });
    const run = await runner.latest();
    run.options.onResult?.({ id: "3.short", title: "a short one", step: "3", status: "pass", durationMs: 100 });
    run.options.onResult?.({ id: "3.long", title: long, step: "3", status: "pass", message: "CapBnd was 00000000a80425fb, as Docker's", durationMs: 100 });
    run.end();
    await app.checksShow("Step 3 passes!");
    expect(app.checksPane()).toMatch(/Root in the container keeps only Docker's default capabilities[^…]*…/);
    expect(app.checksPane()).not.toContain("whatever the image asks for");
    // Focus the checks: the cursor is on the first one; ↓ to the long one, Enter.
    await app.press(KEY.tab, KEY.tab, KEY.down, KEY.enter);
    await app.checksShow("whatever the image asks for");
    // Wrapped over rows (joined here by spaces, its time at the right of the first), none of it cut.
    expect(app.checksPane().replace(/ +\d+ ms /g, " ")).toContain(long);
    expect(app.checksPane()).toContain("CapBnd was 00000000a80425fb, as Docker's");
    // Still step 3: Enter opened the check, not the step under the list's cursor.
    expect(app.screen()).toContain("The page of step 3.");
    await app.press(KEY.enter);
    await app.checksShow(/^(?![\s\S]*whatever the image asks for)/);
    expect(app.checksPane()).not.toContain("CapBnd");
    app.unmount();
  });
});

describe("the trace", () => {
  const record = (pid: number, call: string, args: unknown[], outcome: { result?: number; error?: string }, time: number) => JSON.stringify({ time, pid, call, args, ...outcome, ms: 0.1 });

  it("shows the failures the 126 and 127 checks cause on purpose as expected, not as failures; the others in red", async () => {
    course.startAt("1");
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 220, rows: 40 });
    const run = await runner.latest();
    writeFileSync(
      run.options.traceFile as string,
      [
        record(1, "execve", ["no-such-command", ["no-such-command"]], { error: "ENOENT" }, 1000),
        record(1, "execve", ["/etc/passwd", ["/etc/passwd"]], { error: "EACCES" }, 1010),
        record(1, "prctl", ["PR_CAPBSET_READ", "41"], { error: "EINVAL" }, 1020),
      ].join("\n") + "\n",
    );
    run.pass();
    await app.shows("Step 1 passes!");
    await app.press("t");
    await app.shows("3 system calls, in the order they returned; none failed unexpectedly. (3 failed as expected, marked ~)");
    expect(app.screen()).toMatch(/execve\("no-such-command", \["no-such-command"\]\) = -1 ENOENT {2}~ expected: the 127 check runs it to be refused/);
    expect(app.screen()).toMatch(/execve\("\/etc\/passwd", \["\/etc\/passwd"\]\) = -1 EACCES {2}~ expected: the 126 check runs it to be refused/);
    expect(app.screen()).not.toContain("✗");
    // The same call failing otherwise is news.
    await app.press(KEY.escape, "r");
    const second = await runner.latest(2);
    writeFileSync(second.options.traceFile as string, record(1, "execve", ["/bin/sh", ["/bin/sh"]], { error: "ENOENT" }, 1000) + "\n");
    second.report(0, "fail", "no shell");
    second.end();
    await app.checksShow("1 of 2 checks fails");
    await app.press("t");
    await app.shows("1 system calls, in the order they returned; 1 failed:");
    expect(app.screen()).toContain('✗ execve("/bin/sh", ["/bin/sh"]) = -1 ENOENT');
    app.unmount();
  });

  it("opens at the top of a new run", async () => {
    course.startAt("1");
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 100, rows: 24 });
    const many = (traceFile: string, what: string) =>
      writeFileSync(traceFile, Array.from({ length: 60 }, (_, i) => record(4000, "getpid", [what], { result: i }, 1000 + i)).join("\n") + "\n");
    const first = await runner.latest();
    many(first.options.traceFile as string, "first");
    first.pass();
    await app.shows("Step 1 passes!");
    await app.press("t", KEY.tab, "G");
    await app.shows(/^(?![\s\S]*60 system calls)/);
    await app.press("r");
    const second = await runner.latest(2);
    many(second.options.traceFile as string, "second");
    second.pass();
    // The checks pane, shrunk to a line while the trace is read, whole once it has the focus.
    await app.press(KEY.tab);
    await app.checksShow("Step 1 passes!");
    await app.press(KEY.escape, "t");
    await app.shows("60 system calls, in the order they returned; none failed.");
    app.unmount();
  });

  it("after a run that stopped at a TODO, says so instead of asking to run the checks", async () => {
    course.startAt("1");
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    const run = await runner.latest();
    run.report(0, "not-started", "spawnInit() in exercises/process.ts is a TODO (docs/01-process.md, Task 1)");
    run.report(1, "not-started", "spawnInit() in exercises/process.ts is a TODO (docs/01-process.md, Task 1)");
    run.end();
    await app.checksShow("Not started yet");
    app.resize(220, 40);
    await app.press("t");
    await app.shows("No system calls traced: the run stopped at a TODO before making one. spawnInit() in exercises/process.ts is a TODO");
    expect(app.screen()).not.toContain("press r");
    app.unmount();
  });
});

describe("projector mode", () => {
  /** Runs `body` with chalk drawing full colour, as a real terminal does. */
  async function inColour(body: () => Promise<void>): Promise<void> {
    const level = chalk.level;
    chalk.level = 3;
    try {
      await body();
    } finally {
      chalk.level = level;
    }
  }
  // Grey (SGR 90) or faint (SGR 2) text, which a projector washes out.
  const GREY = /\u001b\[(?:90|2)m/;

  it("p: no grey text anywhere, the page the whole width, and the setting kept in the progress file for next time", async () => {
    await inColour(async () => {
      const runner = new ScriptedRunner();
      const app = await renderApp({ course, runner, columns: 120, rows: 40 });
      await app.shows("The page of step 3.");
      expect(app.lastFrame()).toMatch(GREY);
      expect(app.screen()).toContain("╭─ Steps");
      await app.press("p");
      await app.shows("Projector mode: high contrast");
      // The steps are a strip in the header: the page starts at the left edge.
      expect(app.screen()).not.toContain("╭─ Steps");
      expect(app.screen().split("\n")[1]).toMatch(/^[╭┏][─━] Step 3 · Mount namespace/);
      await app.press(KEY.down);
      await app.shows(/^(?![\s\S]*Projector mode: high)/);
      expect(app.lastFrame()).not.toMatch(GREY);
      expect(JSON.parse(readFileSync(course.progressFile, "utf8"))).toMatchObject({ projector: true });
      app.unmount();

      // Next time it opens in projector mode, until p again.
      const again = await renderApp({ course, runner: new ScriptedRunner(), columns: 120, rows: 40 });
      await again.shows("The page of step 3.");
      expect(again.screen()).not.toContain("╭─ Steps");
      expect(again.lastFrame()).not.toMatch(GREY);
      await again.press("p");
      await again.shows("╭─ Steps");
      expect(JSON.parse(readFileSync(course.progressFile, "utf8"))).toMatchObject({ projector: false });
      again.unmount();
    });
  });

  it("--projector opens in projector mode without saving it", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40, projector: true });
    await app.shows("The page of step 3.");
    expect(app.screen()).not.toContain("╭─ Steps");
    expect(JSON.parse(readFileSync(course.progressFile, "utf8")).projector).toBeUndefined();
    app.unmount();
  });

  it("in instructor mode the list shows the reference's state, not the learner's, and where the reference is", async () => {
    course.startAt("3", ["1", "2"]);
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40, instructor: true });
    await app.shows("INSTRUCTOR");
    const run = await runner.latest();
    run.pass();
    await app.checksShow("The reference solution passes step 3.");
    const screen = app.screen();
    // Steps 1 and 2 are the learner's done, not the reference's: not run yet, so not known.
    expect(screen).toMatch(/│ {2}· 1 Process creation/);
    expect(screen).toMatch(/│ {2}· 2 PID and UTS/);
    expect(screen).toMatch(/│ ›✓ 3 Mount namespace/);
    expect(screen).toContain("The reference, in");
    expect(screen).not.toContain("You write, in");
    app.unmount();
  });
});

describe("the checks pane's cursor", () => {
  it("brings a check into view with what it said: G shows the last check's message, however far down", async () => {
    const runner = new ScriptedRunner();
    runner.checksOf = (id: string): CheckInfo[] => Array.from({ length: 8 }, (_, i) => ({ id: `${id}.c${i}`, title: `check ${i}` }));
    const app = await renderApp({ course, runner, columns: 80, rows: 24 });
    const run = await runner.latest();
    for (const [i, check] of runner.checksOf("3").entries()) {
      const last = i === 7;
      run.options.onResult?.({ ...check, step: "3", status: last ? "fail" : "pass", message: last ? `expected the end of the message ${"and more words ".repeat(8)}at its very end` : undefined, durationMs: 100 });
    }
    run.end();
    await app.checksShow("1 of 8 checks fails");
    expect(app.checksPane()).not.toContain("at its very end");
    await app.press(KEY.tab, KEY.tab, "G");
    await app.checksShow("at its very end");
    expect(app.checksPane()).toContain("✗ check 7");
    // Back to the first: the status line above it comes back too.
    await app.press("g");
    await app.checksShow("1 of 8 checks fails");
    app.unmount();
  });
});
