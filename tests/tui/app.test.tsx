import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import chalk from "chalk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadProgress } from "../../app/course/progress.js";
import { STEPS } from "../../app/course/steps.js";
import { applyColorPreference } from "../../app/tui/theme.js";
import { watchDirectory, type Watch } from "../../app/tui/watch.js";
import { Course, KEY, ScriptedRunner, ScriptedTypeCheck, renderApp } from "./support.js";

let course: Course;
beforeEach(() => {
  course = new Course();
  // Most cases are about a step: they start on step 1 (a fresh progress opens on the introduction).
  course.startAt("1");
});
afterEach(() => {
  course.remove();
});

describe("the workshop app", () => {
  it("opens on step 1, and moves to step 2 with the arrow keys and enter", async () => {
    const app = await renderApp({ course });
    await app.shows("The page of step 1.");
    expect(app.screen()).toContain("Step 1 · Process creation");
    await app.press(KEY.down);
    // On 80 columns the list opens over the page while a step is chosen.
    await app.shows("›○ 2 PID and UTS namespaces");
    await app.press(KEY.enter);
    await app.shows("The page of step 2.");
    expect(app.screen()).toContain("Step 2 · PID and UTS namespaces");
    expect(loadProgress(course.progressFile).currentStep).toBe("2");
    app.unmount();
  });

  it("moves with j and k too, and never past the ends of the list", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 1.");
    // The introduction is above step 1.
    await app.press("k", "k", KEY.enter);
    await app.shows("The intro page.");
    // The introduction has the focus on its page (↓ reads on): shift-tab goes back to the list.
    await app.press(KEY.shiftTab, ..."j".repeat(STEPS.length + 4), KEY.enter);
    await app.shows(`The page of step ${STEPS.at(-1)!.id}.`);
    app.unmount();
  });

  it("reveals the hints one at a time with h, and remembers them", async () => {
    const app = await renderApp({ course });
    await app.shows("The page of step 1.");
    expect(app.screen()).not.toContain("Hint 1 of 3");
    expect(app.screen()).toContain("hints 0/3");
    await app.press("h");
    await app.shows("Hint 1 of step 1");
    expect(app.screen()).not.toContain("Hint 2 of step 1");
    expect(app.screen()).toContain("Stuck? Press h for hint 2 of 3.");
    await app.press("h", "h");
    await app.shows("Hint 3 of step 1");
    expect(app.screen()).toContain("That was the last hint.");
    await app.press("h");
    expect(loadProgress(course.progressFile).hintsSeen).toEqual({ "1": 3 });
    app.unmount();
  });

  it("streams check results in as they come: a spinner while a check runs, then ✓ or ✗ with the reason", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner });
    const run = await runner.latest();
    expect(run.stepId).toBe("1");
    run.start(0);
    await app.shows(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] first check of step 1/);
    run.report(0, "pass", undefined, 420);
    await app.shows(/✓ first check of step 1 +420 ms/);
    run.start(1);
    run.report(1, "fail", "expected exit status 7, got 0", 1300);
    await app.shows(/✗ second check of step 1 +1\.3 s/);
    expect(app.screen()).toContain("expected exit status 7, got 0");
    run.end();
    await app.shows("1 of 2 checks fails");
    // The list marks the step failing, and the progress keeps what passed.
    expect(app.screen()).toMatch(/✗1 ○2/);
    expect(loadProgress(course.progressFile).passed).toEqual({ "1": ["1.first"] });
    app.unmount();
  });

  it("shows checks of a step not started yet calmly, with what to write first", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner });
    const run = await runner.latest();
    // Results come in as checks finish, not in their order: the first check's TODO is the one shown.
    run.report(1, "not-started", "waitForExit() is still a TODO");
    run.report(0, "not-started", "spawnInit() is still a TODO: docs/01-process.md, Task 1");
    run.end();
    await app.shows("Not started yet");
    const screen = app.screen();
    expect(screen).toContain("○ first check of step 1");
    expect(screen).toContain("spawnInit() is still a TODO");
    // Only the first TODO is spelled out, and nothing reads as a failure.
    expect(screen).not.toContain("waitForExit() is still a TODO");
    expect(screen).not.toContain("✗");
    expect(screen).not.toMatch(/fail/i);
    app.unmount();
  });

  it("says so when a step passes, and n opens the next step", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner });
    const run = await runner.latest();
    run.report(0, "pass");
    run.report(1, "pass");
    run.end();
    await app.shows("Step 1 passes!");
    expect(app.screen()).toContain("Press n for step 2.");
    expect(app.screen()).toContain("1/6 steps done");
    await app.press("n");
    await app.shows("The page of step 2.");
    expect((await runner.latest(2)).stepId).toBe("2");
    app.unmount();
  });

  it("shows the type errors beside the checks, file:line and message, and does not say the step passes while there are any", async () => {
    const impl = course.copyExercises();
    const runner = new ScriptedRunner();
    const types = new ScriptedTypeCheck();
    const app = await renderApp({ course, runner, impl, typeCheck: types.check, services: { watch: watchDirectory }, columns: 120, rows: 40 });
    (await runner.latest()).pass();
    const check = await types.nth(1);
    expect(check.impl).toBe(impl);
    check.answer([
      { file: "exercises/process.ts", line: 14, column: 9, message: "Type 'string' is not assignable to type 'number'." },
      { file: "exercises/process.ts", line: 14, column: 9, message: "'oops' is declared but its value is never read." },
    ]);
    await app.checksShow("◐ The checks of step 1 pass; your code has 2 type errors (below).");
    const pane = app.checksPane();
    expect(pane).toContain("✓ first check of step 1");
    expect(pane).toContain("✗ 2 type errors: exercises/process.ts:14:9 Type 'string' is not assignable to type 'number'. exercises/process.ts:14:9 'oops' is declared but its value is never read.");
    expect(app.screen()).not.toContain("passes");
    // The learner fixes it and saves: a new check of the types, with the new run of the checks.
    writeFileSync(join(impl, "process.ts"), `${readFileSync(join(impl, "process.ts"), "utf8")}\n// fixed\n`);
    (await runner.latest(2)).pass();
    (await types.nth(2)).answer([]);
    await app.checksShow("✓ Step 1 passes!");
    expect(app.checksPane()).not.toContain("type error");
    app.unmount();
  });

  it("runs the checks without waiting for the type check, and says a step passes only once the types have been checked", async () => {
    const runner = new ScriptedRunner();
    const types = new ScriptedTypeCheck();
    const app = await renderApp({ course, runner, typeCheck: types.check, columns: 120, rows: 40 });
    const check = await types.nth(1);
    (await runner.latest()).pass();
    await app.checksShow("✓ The checks of step 1 pass; checking the types of your code…");
    expect(app.screen()).not.toContain("passes");
    // Keys are answered meanwhile.
    await app.press("h");
    await app.shows("Hint 1 of step 1");
    check.answer([]);
    await app.checksShow("✓ Step 1 passes!");
    app.unmount();
  });

  it("says when the types could not be checked, and still tells a passing step", async () => {
    const runner = new ScriptedRunner();
    const types = new ScriptedTypeCheck();
    const app = await renderApp({ course, runner, typeCheck: types.check, columns: 120, rows: 40 });
    (await types.nth(1)).fail(new Error("cannot find module 'typescript'"));
    (await runner.latest()).pass();
    await app.checksShow("✓ Step 1 passes!");
    expect(app.checksPane()).toContain("! The types of your code could not be checked: cannot find module 'typescript'");
    app.unmount();
  });

  it("runs every step's checks in turn on a, and stops when another run takes over", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    (await runner.latest(1)).end();
    await app.press("a");
    for (const [n, stepId] of [[2, "1"], [3, "2"]] as const) {
      const run = await runner.latest(n);
      expect(run.stepId).toBe(stepId);
      run.report(0, "pass");
      run.report(1, "pass");
      run.end();
    }
    const third = await runner.latest(4);
    expect(third.stepId).toBe("3");
    await app.shows(/✓ 2 PID and UTS namespaces/);
    expect(app.screen()).toContain("2/6 steps done");
    await app.press("r");
    const fifth = await runner.latest(5);
    expect(fifth.stepId).toBe("1");
    expect(third.aborted).toBe(true);
    // Once r's run ends, nothing else runs: the steps in turn stopped at the one r cancelled.
    fifth.end();
    await app.idle();
    expect(runner.runs).toHaveLength(5);
    app.unmount();
  });

  it("says after a which step to fix first: the open step fails because a step it builds on does", async () => {
    course.startAt("4");
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    (await runner.latest(1)).end();
    await app.press("a");
    // Step 1 breaks, and 2, 3 and 4 build on it; 5 and 6 pass, the bonus steps are not started.
    const failing = new Set(["1", "2", "3", "4"]);
    for (const [index, step] of STEPS.entries()) {
      const run = await runner.latest(index + 2);
      expect(run.stepId).toBe(step.id);
      if (failing.has(step.id)) run.report(0, "fail", `${step.id} broke`);
      else if (!step.bonus) run.report(0, "pass");
      run.end();
    }
    await app.idle();
    await app.checksShow("✗ Step 4 fails because step 1 does: fix step 1 first.");
    // The next run is about one step again.
    await app.press("r");
    (await runner.latest(STEPS.length + 2)).end();
    await app.idle();
    await app.checksShow(/^○ Not started yet/);
    expect(app.checksPane()).not.toContain("fix step 1 first");
    app.unmount();
  });

  it("says after a that no step fails", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    (await runner.latest(1)).end();
    await app.press("a");
    for (const index of STEPS.keys()) {
      const run = await runner.latest(index + 2);
      run.report(0, "pass");
      run.end();
    }
    await app.idle();
    await app.checksShow(`✓ Every step ran: none fails.`);
    app.unmount();
  });

  it("re-runs the step's checks when a file of the implementation is saved, cancelling the run under way", async () => {
    const impl = course.copyExercises();
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, impl, services: { watch: watchDirectory } });
    const first = await runner.latest();
    first.start(0);
    writeFileSync(join(impl, "process.ts"), `${readFileSync(join(impl, "process.ts"), "utf8")}\n// saved\n`);
    const second = await runner.latest(2);
    expect(first.aborted).toBe(true);
    expect(second.stepId).toBe("1");
    expect(second.options.impl).toBe(impl);
    await app.shows("(saved process.ts)");
    app.unmount();
  });

  it("resumes where the learner left: the step, its hints and what passed", async () => {
    course.saveProgress({ currentStep: "3", hintsSeen: { "3": 1 }, passed: { "1": ["1.first", "1.second"], "2": ["2.first"] } });
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 3.");
    const screen = app.screen();
    expect(screen).toContain("Step 3 · Mount namespace and root directory");
    expect(screen).toContain("Hint 1 of step 3");
    expect(screen).toContain("1/6 steps done");
    expect(screen).toMatch(/✓ 1 Process creation/);
    expect(screen).toMatch(/◐ 2 PID and UTS namespaces/);
    app.unmount();
  });

  it("carries on when the progress cannot be saved, and says so", async () => {
    // A file where the .workshop directory should be: nothing can be written under it.
    rmSync(join(course.repo, ".workshop"), { recursive: true });
    writeFileSync(join(course.repo, ".workshop"), "");
    const app = await renderApp({ course });
    await app.shows("The intro page.");
    await app.press("n");
    await app.shows("The page of step 1.");
    await app.press("h");
    await app.shows("Hint 1 of step 1");
    expect(app.screen()).toContain("! your progress is not saved:");
    app.unmount();
  });

  it("shows what blocks the course instead of running checks that cannot work", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({
      course,
      runner,
      findings: [
        { check: "root", severity: "fail", message: "not running as root", fix: "run: sudo npx workshop" },
        { check: "iptables", severity: "warn", message: "iptables is not installed", fix: "run: apt-get install iptables", package: "iptables" },
      ],
    });
    await app.shows("Before the checks can run:");
    expect(app.screen()).toContain("✗ not running as root — run: sudo npx workshop");
    expect(app.screen()).toContain("To install what is missing: npx workshop doctor --fix");
    await app.press("r");
    await app.idle();
    expect(runner.runs).toHaveLength(0);
    app.unmount();
  });

  it("quits on ctrl-c (or q) after stopping the checks under way", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner });
    const run = await runner.latest();
    run.start(0);
    await app.press("\u0003");
    expect(run.aborted).toBe(true);
    await app.shows("Stopping the checks and cleaning up…");
    // Nothing else starts once quitting, even on a save or r.
    await app.press("r");
    await app.idle();
    expect(runner.runs).toHaveLength(1);
  });

  it("shows the trace of the last run, per process, failures first and in red", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    const run = await runner.latest();
    const record = (pid: number, call: string, args: unknown[], outcome: { result?: number; error?: string }, time: number) =>
      JSON.stringify({ time, pid, call, args, ...outcome, ms: 0.1 });
    writeFileSync(
      run.options.traceFile as string,
      [
        record(4242, "unshare", ["CLONE_NEWPID|CLONE_NEWUTS"], { result: 0 }, 1000),
        record(1, "sethostname", ["box"], { result: 0 }, 1012),
        record(1, "mount", ["proc", "/rootfs/proc", "proc", "MS_NOSUID"], { error: "EPERM" }, 1020),
      ].join("\n") + "\n",
    );
    run.report(0, "fail", "no /proc");
    run.end();
    await app.shows("1 of 2 checks fails");
    await app.press("t");
    await app.shows("3 system calls, in the order they returned; 1 failed:");
    const screen = app.screen();
    expect(screen).toContain('✗ mount("proc", "/rootfs/proc", "proc", MS_NOSUID) = -1 EPERM  (pid 1,');
    // Each process's calls under its pid, in the order they returned.
    const order = ["pid 4242", "+0.000s  unshare(CLONE_NEWPID|CLONE_NEWUTS) = 0", "pid 1  the container's init", '+0.012s  sethostname("box") = 0'];
    const positions = order.map((text) => screen.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    await app.press("t");
    await app.shows("The page of step 1.");
    app.unmount();
  });

  it("shows the solution only after asking, then the diff with the learner's code", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 1.");
    await app.press("s");
    await app.shows("Show the solution for step 1? y/N");
    await app.press("n");
    await app.shows("↑↓ move");
    expect(app.screen()).not.toContain("export function spawnInit");
    await app.press("s", "y");
    await app.shows("solutions/process.ts: spawnInit, waitForExit, execCommand");
    expect(app.screen()).toContain("export function spawnInit(init: InitCommand): ChildProcess {");
    await app.press("d");
    await app.shows(/--- \S*exercises\/process\.ts/);
    expect(app.screen()).toMatch(/\+\+\+ \S*solutions\/process\.ts/);
    expect(app.screen()).toMatch(/│ -\s+return todo\("spawnInit"\)/);
    app.unmount();
  });

  it("runs the reference solution in instructor mode, and keeps it out of the learner's progress", async () => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, instructor: true });
    const run = await runner.latest();
    expect(run.options.impl).toMatch(/solutions$/);
    run.report(0, "pass");
    run.report(1, "pass");
    run.end();
    await app.shows("Checks · reference solution");
    expect(app.screen()).toContain("INSTRUCTOR");
    expect(loadProgress(course.progressFile).passed).toEqual({});
    await app.press("i");
    expect((await runner.latest(2)).options.impl).toMatch(/\/exercises$/);
    app.unmount();
  });

  it.each([
    [80, 24],
    [120, 40],
    [60, 16],
  ])("fits a %i×%i terminal, one row to spare", async (columns, rows) => {
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns, rows, services: { watch: () => () => undefined } });
    const run = await runner.latest();
    run.report(0, "fail", "a long reason that has to wrap onto more than one line of the checks pane, ".repeat(3));
    run.report(1, "pass");
    run.end();
    await app.shows("1 of 2 checks fails");
    for (const view of ["", "t", "?"]) {
      if (view) await app.press(view);
      expectFits(app.screen(), columns, rows);
      // The footer of keys at the bottom.
      expect(app.screen().split("\n").at(-1)).toContain("q quit");
    }
    app.unmount();
  });

  it("follows the terminal's size: a step column when wide, a strip in the header when narrow", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("╭─ Steps");
    expect(app.screen()).toMatch(/│ ›[○⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1 Process creation/);
    app.resize(80, 24);
    await vi.waitFor(() => expect(app.screen().split("\n")).toHaveLength(23), { timeout: 10_000 });
    expect(app.screen()).not.toContain("╭─ Steps");
    expect(app.screen().split("\n")[0]).toMatch(/^ intro [○⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]1 ○2 ○3 ○4 ○5 ○6 outro bonus ○ ○ ○/);
    for (const line of app.screen().split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    app.unmount();
  });

  it("asks for a bigger terminal below 60×16", async () => {
    const app = await renderApp({ course, columns: 50, rows: 12 });
    await app.shows("Make the terminal at least 60×16 (it is 50×12)");
    app.unmount();
  });

  it("draws without colour when NO_COLOR is set", async () => {
    const level = chalk.level;
    chalk.level = 3;
    try {
      applyColorPreference({ NO_COLOR: "1" });
      const runner = new ScriptedRunner();
      const app = await renderApp({ course, runner });
      const run = await runner.latest();
      run.report(0, "pass");
      run.report(1, "fail", "nope");
      run.end();
      await app.shows("1 of 2 checks fails");
      await app.press("h");
      await app.shows("Hint 1 of step 1");
      expect(app.lastFrame()).not.toMatch(/\u001b\[/);
      app.unmount();
    } finally {
      chalk.level = level;
    }
  });
});

describe("the introduction and the outro", () => {
  it("opens a fresh course on the introduction, runs nothing there, and n opens step 1", async () => {
    rmSync(course.progressFile);
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    await app.shows("The intro page.");
    const screen = app.screen();
    expect(screen).toContain("╭─ Introduction");
    expect(screen).toContain("No checks here: read on, then press n for step 1.");
    expect(screen).toContain("0/6 steps done");
    // Both pages are in the list, without a state mark: the introduction above step 1, the outro before the bonus steps.
    expect(screen).toMatch(/│ › {2}Introduction[^\n]*\n│ {2}[○⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1 Process creation/);
    expect(screen).toMatch(/4–6 in any order[^\n]*\n│ {4}Outro[^\n]*\n│ +││[^\n]*\n│ {3}Bonus/);
    // Keys about checks, hints and the solution do nothing here, and say so; the key bar leaves them out.
    expect(screen).not.toContain("h hint");
    await app.press("r", "h", "s", "t", "i");
    await app.shows("The introduction has no checks, hints or solution: press n to open a step.");
    await app.idle();
    expect(runner.runs).toHaveLength(0);
    expect(loadProgress(course.progressFile)).toEqual({ currentStep: "intro", hintsSeen: {}, passed: {} });
    await app.press("n");
    await app.shows("Step 1 · Process creation");
    // The first run of the session is step 1's: none started on the introduction.
    expect((await runner.latest(1)).stepId).toBe("1");
    expect(loadProgress(course.progressFile).currentStep).toBe("1");
    app.unmount();
  });

  it("scrolls the introduction like a step's page (which has the focus there)", async () => {
    course.startAt("intro");
    const app = await renderApp({ course });
    await app.shows("The intro page.");
    await app.press("G");
    await app.shows("The end of the intro page.");
    expect(app.screen()).not.toContain("The intro page.");
    app.unmount();
  });

  it("opens the outro from the list after step 6, with no checks and nothing run", async () => {
    course.startAt("6");
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    (await runner.latest()).end();
    await app.press(KEY.down, KEY.enter);
    await app.shows("The outro page.");
    expect(app.screen()).toContain("╭─ Outro");
    expect(app.checksPane()).toBe("No checks here. Not done yet: steps 1, 2, 3, 4, 5 and 6; read on, then press n for step 1.");
    expect(loadProgress(course.progressFile).currentStep).toBe("outro");
    // The run after step 6's is the one n asks for: none started on the outro.
    await app.press("n");
    await runner.latest(2);
    expect(runner.runs.map((r) => r.stepId)).toEqual(["6", "1"]);
    app.unmount();
  });

  it("leads from step 6 to the outro, which names the steps not done yet, and n there goes back to the first", async () => {
    course.startAt("6", ["1", "2", "3"]);
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    (await runner.latest()).pass();
    await app.shows("Step 6 passes!");
    expect(app.screen()).toContain("Press n for the outro.");
    await app.press("n");
    await app.shows("The outro page.");
    expect(app.checksPane()).toBe("No checks here. Not done yet: steps 4 and 5; read on, then press n for step 4.");
    await app.press("n");
    await app.shows("The page of step 4.");
    app.unmount();
  });

  it("marks the course done once the six steps pass, and n after the last step leads to the outro, then to a bonus step", async () => {
    course.startAt("6", ["1", "2", "3", "4", "5"]);
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    await app.shows("5/6 steps done");
    (await runner.latest()).pass();
    await app.shows("Step 6 passes!");
    expect(app.screen()).toContain("✓ course done");
    expect(app.screen()).toMatch(/│ {2}✓ Outro/);
    await app.press("n");
    await app.shows("The outro page.");
    expect(app.checksPane()).toBe("✓ All 6 steps pass: you have built a container runtime. Read on, then press n for the pivot-root bonus step.");
    await app.press("n");
    await app.shows("The page of step pivot-root.");
    app.unmount();
  });

  it("says so when n has nowhere left to go", async () => {
    const last = STEPS.at(-1)!;
    course.startAt(last.id, STEPS.map((s) => s.id));
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 40 });
    (await runner.latest()).pass();
    await app.checksShow(`✓ ${last.title[0]!.toUpperCase()}${last.title.slice(1)} passes!`);
    expect(app.checksPane()).toContain("Press n for the outro.");
    // The last step of the list, bonus included: n leads to the outro, which has nothing after it.
    await app.press("n");
    await app.shows("The outro page.");
    expect(app.checksPane()).toBe("✓ All 6 steps pass: you have built a container runtime. Every bonus step too.");
    await app.press("n");
    await app.shows("Every step is done, the bonus steps too: there is no next step.");
    expect(app.screen()).toContain("The outro page.");
    app.unmount();
  });

  it("does not run checks on a save while a page is open", async () => {
    course.startAt("outro");
    const impl = course.copyExercises();
    const runner = new ScriptedRunner();
    // The app's watcher, telling the test too once the app has been told of a save.
    let delivered!: (file: string) => void;
    const saved = new Promise<string>((resolve) => (delivered = resolve));
    const watch: Watch = (dir, onSave) =>
      watchDirectory(dir, (file) => {
        onSave(file);
        delivered(file);
      });
    const app = await renderApp({ course, runner, impl, services: { watch } });
    await app.shows("The outro page.");
    writeFileSync(join(impl, "process.ts"), `${readFileSync(join(impl, "process.ts"), "utf8")}\n// saved\n`);
    expect(await saved).toBe("process.ts");
    await app.idle();
    expect(runner.runs).toHaveLength(0);
    app.unmount();
  });

  it.each(["intro", "outro"])("resumes on the saved %s page, and reaches it in the strip on 80 columns", async (page) => {
    course.startAt(page);
    const app = await renderApp({ course });
    await app.shows(/^ intro ○1 ○2 ○3 ○4 ○5 ○6 outro bonus ○ ○ ○/);
    expect(app.screen()).toContain(`The ${page} page.`);
    app.unmount();
  });

  it("keeps the cursor in view in the list of a 60×16 terminal", async () => {
    const app = await renderApp({ course, columns: 60, rows: 16 });
    await app.shows(/^ intro /);
    await app.press(..."jjjjjjjjjj");
    await app.shows("›○ the image's config");
    app.unmount();
  });

  it.each([
    ["intro", 80, 24],
    ["outro", 80, 24],
    ["intro", 60, 16],
    ["outro", 60, 16],
  ])("fits the %s page in a %i×%i terminal", async (page, columns, rows) => {
    course.startAt(page);
    const app = await renderApp({ course, columns, rows });
    // The strip in the header: the terminal's size has reached the app.
    await app.shows(/^ intro ○1/);
    await app.shows(`The ${page} page.`);
    for (const view of ["", "h", "?"]) {
      if (view) await app.press(view);
      expectFits(app.screen(), columns, rows);
    }
    app.unmount();
  });
});

describe("the app's key help", () => {
  it("lists every key on ?", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.press("?");
    await app.shows("reveal the next hint");
    for (const key of ["enter", "tab", "space", "instructor mode", "quit"]) expect(app.screen()).toContain(key);
    await app.press(KEY.escape);
    await app.shows("The page of step 1.");
    app.unmount();
  });
});

/** One row to spare, no line wider than the terminal, the header with a pane's top border right under it. */
function expectFits(screen: string, columns: number, rows: number): void {
  const lines = screen.split("\n");
  expect(lines.length).toBe(rows - 1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
  expect(lines[1]).toMatch(/^[╭┏]─/);
}

vi.setConfig({ testTimeout: 15_000 });
