import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { STEPS } from "../../app/course/steps.js";
import { CheckRuns } from "../../app/tui/check-runs.js";
import { nextEntry } from "../../app/tui/course-entries.js";
import { overview } from "../../app/tui/overview.js";
import { plainStatus } from "../../app/tui/plain-status.js";
import { stepSolution } from "../../app/course/solution.js";
import { formatCall, groupTrace, readTrace } from "../../app/tui/trace.js";
import { TypeChecks } from "../../app/tui/type-checks.js";
import { DEBOUNCE_MS, watchDirectory } from "../../app/tui/watch.js";
import { wrapLines } from "../../app/terminal/wrap.js";
import { ScriptedRunner, ScriptedTypeCheck, checksFor } from "./support.js";

const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "workshop-tui-"));
  temp.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("traces", () => {
  const call = (pid: number, name: string, extra: object = {}) => ({ time: 1000 + pid, pid, call: name, args: [], result: 0, ms: 0.1, ...extra });

  it("groups the calls per process, pid 1 (every container's init) in runs of consecutive calls", () => {
    const trace = groupTrace([call(10, "unshare"), call(11, "unshare"), call(1, "sethostname"), call(1, "mount"), call(10, "setns"), call(11, "setns"), call(1, "execve")]);
    expect(trace.blocks.map((b) => [b.pid, b.calls.map((c) => c.call)])).toEqual([
      [10, ["unshare", "setns"]],
      [11, ["unshare", "setns"]],
      [1, ["sethostname", "mount"]],
      [1, ["execve"]],
    ]);
    expect(trace.calls).toBe(7);
  });

  it("reads a file being written: a torn last line is left for later, no file is no calls", () => {
    const file = join(tempDir(), "trace.jsonl");
    expect(readTrace(file).calls).toBe(0);
    writeFileSync(file, `${JSON.stringify(call(7, "mount", { error: "EPERM", result: undefined }))}\n{"time":12`);
    const trace = readTrace(file);
    expect(trace.calls).toBe(1);
    expect(trace.failed).toBe(1);
  });

  it("writes a call the way strace does, flags bare, strings quoted, digests cut", () => {
    const digest = "48828536f35818efad96dd87442148a8d8e0c644f0971c4fde3197cc5aa43b31";
    expect(formatCall({ time: 0, pid: 1, call: "mount", args: ["proc", `/images/${digest}/rootfs/proc`, null, "MS_NOSUID|MS_NODEV"], result: 0, ms: 0 })).toBe(
      'mount("proc", "/images/48828536f358…/rootfs/proc", NULL, MS_NOSUID|MS_NODEV) = 0',
    );
    expect(formatCall({ time: 0, pid: 1, call: "pivot_root", args: [".", ".old"], error: "EBUSY", ms: 0 })).toBe('pivot_root(".", ".old") = -1 EBUSY');
  });
});

describe("solutions", () => {
  it("gives a step's whole module from the reference, and no other step's functions", () => {
    const rootfs = stepSolution(join(REPO, "solutions"), STEPS.find((s) => s.id === "3")!);
    expect(rootfs.file).toBe(join(REPO, "solutions", "rootfs.ts"));
    for (const name of ["makeMountsPrivate", "mountProc", "mountDev", "mountSys", "changeRoot"]) expect(rootfs.code).toContain(`export function ${name}(`);
    expect(rootfs.code).toContain('from "#native"');
    expect(rootfs.code).not.toContain("pivotRoot");
    expect(rootfs.code).not.toContain("mountOverlay");
  });
});

describe("wrapping", () => {
  it("wraps to the width, continuation lines under the text of their list item", () => {
    const lines = wrapLines("  * namespaceFlags: flags are bits, and one of them depends on the network mode", 30);
    expect(lines).toEqual(["  * namespaceFlags: flags are", "    bits, and one of them", "    depends on the network", "    mode"]);
    for (const line of wrapLines("\u001b[33mcode\u001b[39m ".repeat(30), 40)) expect(stripVTControlCharacters(line).length).toBeLessThanOrEqual(40);
  });

  it("cuts a word longer than a line", () => {
    expect(wrapLines(`see ${"x".repeat(25)}`, 10)).toEqual(["see", "xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]);
  });

  it("cuts a table rather than folding it", () => {
    expect(wrapLines(`│ ${"x".repeat(50)} │`, 20)).toEqual([`│ ${"x".repeat(17)}…`]);
  });
});

describe("the plain status, without a terminal", () => {
  it("lists the steps with their state and says how to run the checks", () => {
    const text = plainStatus({ currentStep: "2", hintsSeen: {}, passed: { "1": ["1.first", "1.second"], "2": ["2.first"] } }, checksFor);
    expect(text).toContain("container-workshop: 1 of 6 steps done");
    expect(text).toMatch(/✓ 1 {2}Process creation +done/);
    expect(text).toMatch(/◐ 2 {2}PID and UTS namespaces +1 of 2 checks passed/);
    expect(text).toMatch(/○ 3 {2}Mount namespace and root directory +not started/);
    expect(text).toMatch(/○ {4}pivot_root +not started/);
    expect(text).toContain(`  ${process.getuid?.() === 0 ? "" : "sudo "}npx workshop check 2`);
  });

  it("offers step 1's checks to a learner on the introduction, which has none", () => {
    expect(plainStatus({ currentStep: "intro", hintsSeen: {}, passed: {} }, checksFor)).toContain("npx workshop check 1");
  });
});

describe("where n leads", () => {
  const doneOnly = (...ids: string[]) => (step: { id: string }) => ids.includes(step.id);

  it("goes forward to the next step not done, and past the last one to the outro, never back round", () => {
    expect(nextEntry("1", doneOnly("2"))?.id).toBe("3");
    expect(nextEntry("5", doneOnly("1", "2", "3", "6"))?.id).toBe("outro");
    expect(nextEntry("pivot-root", doneOnly())?.id).toBe("overlay");
    expect(nextEntry(STEPS.at(-1)!.id, doneOnly())?.id).toBe("outro");
  });

  it("goes from the introduction or the outro to the first step not done, the six before the bonus ones", () => {
    expect(nextEntry("intro", doneOnly("1"))?.id).toBe("2");
    expect(nextEntry("outro", doneOnly("1", "2", "3", "5", "6"))?.id).toBe("4");
    expect(nextEntry("outro", doneOnly(...STEPS.filter((s) => !s.bonus).map((s) => s.id)))?.id).toBe("pivot-root");
    expect(nextEntry("outro", doneOnly(...STEPS.map((s) => s.id)))).toBeUndefined();
  });
});

describe("what a run of every step found", () => {
  /** Every step's finished run, the `failing` ones with a failed check. */
  const runs = (...failing: string[]) =>
    new Map(
      STEPS.map((s) => [
        s.id,
        { stepId: s.id, impl: "/impl", outcome: "finished" as const, running: [], startedAt: 0, traceFile: "", results: [{ id: `${s.id}.first`, title: "", step: s.id, status: failing.includes(s.id) ? ("fail" as const) : ("pass" as const), durationMs: 1 }] },
      ]),
    );

  it("blames the earliest failing step the open one builds on", () => {
    expect(overview("4", runs("2", "3", "4")).text).toBe("Step 4 fails because step 2 does: fix step 2 first.");
    expect(overview("pivot-root", runs("3", "pivot-root")).text).toBe("The pivot-root bonus step fails because step 3 does: fix step 3 first.");
  });

  it("names the earliest failing step, and those that build on it, when the open step is not explained by another", () => {
    expect(overview("2", runs("2", "4", "overlay")).text).toBe("Step 2 is the earliest step that fails: step 4, the overlay bonus step build on it.");
    expect(overview("5", runs("4")).text).toBe("Step 4 is the earliest step that fails.");
    expect(overview("intro", runs())).toEqual({ mark: "pass", text: "Every step ran: none fails." });
  });
});

describe("runs of checks", () => {
  it("runs one at a time: a new run cancels the one under way and starts once it has ended", async () => {
    const runner = new ScriptedRunner();
    const runs = new CheckRuns({ runner, traceDir: tempDir() });
    const first = runs.start("1", "/impl");
    const run1 = await runner.latest(1);
    run1.start(0);
    const second = runs.start("2", "/impl");
    const third = runs.start("3", "/impl");
    await first;
    expect(run1.aborted).toBe(true);
    const run3 = await runner.latest(2);
    // The request in between was overtaken before it started.
    expect(run3.stepId).toBe("3");
    run3.report(0, "pass");
    run3.end();
    await Promise.all([second, third]);
    expect(runs.snapshot().get("1")?.outcome).toBe("cancelled");
    expect(runs.snapshot().get("2")).toBeUndefined();
    expect(runs.snapshot().get("3")).toMatchObject({ outcome: "finished", running: [], results: [{ id: "3.first", status: "pass" }] });
  });

  it("reports code that does not compile without running the checks", async () => {
    const runner = new ScriptedRunner();
    const runs = new CheckRuns({ runner, traceDir: tempDir(), prepare: async () => 'process.ts:3:1: ERROR: Expected ";"' });
    await runs.start("1", "/impl");
    expect(runs.snapshot().get("1")).toMatchObject({ outcome: "compile-error", error: 'process.ts:3:1: ERROR: Expected ";"' });
    expect(runner.runs).toHaveLength(0);
  });

  it("keeps only the last run's trace of a step", async () => {
    const runner = new ScriptedRunner();
    const traceDir = tempDir();
    const runs = new CheckRuns({ runner, traceDir });
    for (const n of [1, 2]) {
      const done = runs.start("1", "/impl");
      const run = await runner.latest(n);
      writeFileSync(run.options.traceFile as string, "{}\n");
      run.end();
      await done;
    }
    expect(readdirSync(traceDir).map((f) => join(traceDir, f))).toEqual([runner.runs[1]?.options.traceFile]);
  });

  it("starts nothing once stopped", async () => {
    const runner = new ScriptedRunner();
    const runs = new CheckRuns({ runner, traceDir: tempDir() });
    await runs.stop();
    await runs.start("1", "/impl");
    expect(runner.runs).toHaveLength(0);
  });
});

describe("type checks", () => {
  it("makes one at a time: saves during a check make one more check, once it ends, of the files as they are then", async () => {
    const scripted = new ScriptedTypeCheck();
    const types = new TypeChecks(scripted.check);
    types.request("/impl");
    const first = await scripted.nth(1);
    types.request("/impl");
    types.request("/impl");
    expect(scripted.requests).toHaveLength(1);
    first.answer([{ file: "impl/process.ts", line: 3, column: 1, message: "old" }]);
    const second = await scripted.nth(2);
    // The first check's errors are shown meanwhile, marked as being checked again.
    expect(types.snapshot()).toMatchObject({ checking: true, errors: [{ message: "old" }] });
    second.answer([]);
    await types.whenIdle();
    expect(scripted.requests).toHaveLength(2);
    expect(types.snapshot()).toEqual({ impl: "/impl", checking: false, errors: [], failure: undefined });
  });

  it("keeps the app going when a check cannot be made, and says why", async () => {
    const types = new TypeChecks(async () => {
      throw new Error("cannot find module 'typescript'");
    });
    types.request("/impl");
    await types.whenIdle();
    expect(types.snapshot()).toEqual({ impl: "/impl", checking: false, errors: undefined, failure: "cannot find module 'typescript'" });
  });
});

describe("watching", () => {
  /** Watches `dir`; `settled()` resolves the next time a burst of changes has settled (ask before making them). */
  function watchSaves(dir: string) {
    const saves: { file: string; at: number }[] = [];
    const waiting: (() => void)[] = [];
    const stop = watchDirectory(
      dir,
      (file) => saves.push({ file, at: performance.now() }),
      () => waiting.splice(0).forEach((resolve) => resolve()),
    );
    const settled = () => new Promise<void>((resolve) => waiting.push(resolve));
    return { files: () => saves.map((s) => s.file), saves, settled, stop };
  }

  it("reports a save once the writes have settled, naming the file saved", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "process.ts"), "x");
    const watching = watchSaves(dir);
    try {
      const settled = watching.settled();
      writeFileSync(join(dir, "process.ts"), "y");
      writeFileSync(join(dir, "process.ts"), "z");
      const lastWrite = performance.now();
      await settled;
      // Two writes, one save, and not before the writes have been quiet for DEBOUNCE_MS.
      expect(watching.files()).toEqual(["process.ts"]);
      expect((watching.saves[0]?.at ?? 0) - lastWrite).toBeGreaterThanOrEqual(DEBOUNCE_MS - 1);
    } finally {
      watching.stop();
    }
  });

  it("keeps seeing saves made by renaming a new file over the old one, as vim and JetBrains editors do", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "rootfs.ts"), "v0");
    const watching = watchSaves(dir);
    try {
      for (const version of ["v1", "v2", "v3"]) {
        const settled = watching.settled();
        writeFileSync(join(dir, ".rootfs.ts.swp"), version);
        renameSync(join(dir, ".rootfs.ts.swp"), join(dir, "rootfs.ts"));
        await settled;
      }
      const settled = watching.settled();
      writeFileSync(join(dir, "rootfs.ts"), "in place");
      await settled;
      expect(watching.files()).toEqual(["rootfs.ts", "rootfs.ts", "rootfs.ts", "rootfs.ts"]);
    } finally {
      watching.stop();
    }
  });

  it("reruns on TypeScript files only: not on an editor's swap, backup or probe files, nor on notes", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "process.ts"), "v0");
    const watching = watchSaves(dir);
    try {
      const junk = watching.settled();
      // vim: its swap file as it goes, the file it writes to see whether it may, its backup; emacs: its lock and autosave.
      writeFileSync(join(dir, ".process.ts.swp"), "swap");
      writeFileSync(join(dir, "4913"), "");
      rmSync(join(dir, "4913"));
      writeFileSync(join(dir, "process.ts~"), "v0");
      writeFileSync(join(dir, ".#process.ts"), "lock");
      writeFileSync(join(dir, "#process.ts#"), "autosave");
      writeFileSync(join(dir, "notes.txt"), "remember: pid 1");
      await junk;
      expect(watching.files()).toEqual([]);
      const saved = watching.settled();
      writeFileSync(join(dir, "process.ts"), "v1");
      writeFileSync(join(dir, ".process.ts.swp"), "swap again");
      await saved;
      expect(watching.files()).toEqual(["process.ts"]);
    } finally {
      watching.stop();
    }
  });

  it("sees files in directories made after it started", async () => {
    const dir = tempDir();
    const watching = watchSaves(dir);
    try {
      const made = watching.settled();
      mkdirSync(join(dir, "helpers"));
      await made;
      const saved = watching.settled();
      writeFileSync(join(dir, "helpers", "mounts.ts"), "export {}");
      await saved;
      expect(watching.files()).toEqual([join("helpers", "mounts.ts")]);
    } finally {
      watching.stop();
    }
  });
});
