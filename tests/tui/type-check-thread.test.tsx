/**
 * The app's type checker, for real: TypeScript in a thread of its own, so that the app answers
 * keys while it works (the first check takes seconds), and the errors it finds on the screen.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ensureBuilt } from "../../app/build/bundle.mjs";
import { typeCheckThread } from "../../app/tui/type-check-thread.js";
import { pristineExercises } from "../helpers/implementations.js";
import { Course, ScriptedRunner, renderApp } from "./support.js";

// The first check loads TypeScript and the standard library's types: seconds, more on a busy machine.
const TIMEOUT_MS = 90_000;

let course: Course;
beforeEach(() => {
  course = new Course();
  course.startAt("1");
});
afterEach(() => course.remove());

/** The pristine exercises with a type error in rootfs.ts: a number that is a string, line 14. */
function exercisesWithTypeError(): { impl: string; file: string } {
  const impl = pristineExercises(course.repo);
  const file = join(impl, "rootfs.ts");
  writeFileSync(file, readFileSync(file, "utf8").replace('  todo("mountProc");\n', '  const oops: number = "x";\n  todo("mountProc");\n'));
  return { impl, file };
}

describe("type checks in a thread", () => {
  it("finds a save's type errors, file:line and message, and none once it is fixed", async () => {
    const { impl, file } = exercisesWithTypeError();
    const thread = typeCheckThread();
    try {
      expect(await thread.check(impl)).toEqual([
        { file, line: 14, column: 9, message: "Type 'string' is not assignable to type 'number'." },
        { file, line: 14, column: 9, message: "'oops' is declared but its value is never read." },
      ]);
      writeFileSync(file, readFileSync(file, "utf8").replace('  const oops: number = "x";\n', ""));
      expect(await thread.check(impl)).toEqual([]);
    } finally {
      await thread.close();
    }
  }, TIMEOUT_MS);

  it("ends a check under way when closed, and starts none after: quitting the app does not wait for TypeScript", async () => {
    const { impl } = exercisesWithTypeError();
    const thread = typeCheckThread();
    const check = expect(thread.check(impl)).rejects.toThrow(/the type checker (stopped|has been closed)/);
    await thread.close();
    await check;
    // A check asked for as the app quits (the next of a save) is refused, not started in a new thread.
    await expect(thread.check(impl)).rejects.toThrow("the type checker has been closed");
  }, TIMEOUT_MS);

  it("keeps the process alive for a check, and not once idle", async () => {
    const { impl } = exercisesWithTypeError();
    const built = await ensureBuilt({ name: "test-type-check-once", entries: { script: join(import.meta.dirname, "fixtures/type-check-once.ts") } });
    const result = spawnSync(process.execPath, [built.files.script as string, impl], { encoding: "utf8", timeout: TIMEOUT_MS - 10_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("2 type errors\n");
    expect(result.status).toBe(0);
  }, TIMEOUT_MS);

  it("leaves the app answering keys while it checks, then shows the errors beside the checks", async () => {
    const { impl, file } = exercisesWithTypeError();
    const thread = typeCheckThread();
    try {
      const runner = new ScriptedRunner();
      const app = await renderApp({ course, runner, impl, typeCheck: thread.check, columns: 120, rows: 40 });
      await vi.waitFor(() => expect(app.types.snapshot()?.checking).toBe(true), { timeout: 10_000, interval: 10 });
      await app.press("h");
      await app.shows("Hint 1 of step 1");
      // The key was answered while TypeScript was still at work: it works on another thread.
      expect(app.types.snapshot()?.checking).toBe(true);
      (await runner.latest()).pass();
      await app.checksShow(`✗ 2 type errors: ${file}:14:9 Type 'string' is not assignable to type 'number'.`, { timeout: TIMEOUT_MS - 10_000 });
      expect(app.screen()).not.toContain("passes");
      app.unmount();
    } finally {
      await thread.close();
    }
  }, TIMEOUT_MS);
});
