/** The app driving the real checks: containers started through the `container` CLI in sandboxes. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { checksOf, runStep } from "../../app/checks/index.js";
import { buildContainer } from "../../app/checks/prepare.js";
import { loadProgress } from "../../app/course/progress.js";
import { requireRoot } from "../helpers/requirements.js";
import { Course, renderApp, shippedExercises } from "./support.js";

// A run of step 1's checks takes a second or two here, and many times that on a busy machine:
// the screen may take most of the test's time to show its end.
const TEST_TIMEOUT_MS = 90_000;
const RUN_DEADLINE_MS = TEST_TIMEOUT_MS - 10_000;

describe("the app with the real checks", () => {
  let course: Course;
  let root: string;
  beforeAll(() => {
    course = new Course();
    course.startAt("1");
    root = mkdtempSync(join(tmpdir(), "workshop-tui-store-"));
  });
  afterAll(() => {
    course.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it("shows step 1 passing with the reference solution, check by check", async (ctx) => {
    requireRoot(ctx);
    const app = await renderApp({ course, root, impl: join(REPO, "solutions"), runner: { checksOf, runStep }, prepare: buildContainer, columns: 120, rows: 40 });
    await app.shows("Step 1 passes!", { timeout: RUN_DEADLINE_MS });
    const screen = app.screen();
    for (const check of checksOf("1")) expect(screen).toMatch(new RegExp(`✓ ${check.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    expect(loadProgress(course.progressFile).passed["1"]).toEqual(checksOf("1").map((c) => c.id));
    app.unmount();
  }, TEST_TIMEOUT_MS);

  it("shows the pristine exercises as not started, not as failing", async (ctx) => {
    requireRoot(ctx);
    const app = await renderApp({ course, root, impl: shippedExercises(), runner: { checksOf, runStep }, prepare: buildContainer, columns: 120, rows: 40 });
    await app.shows("Not started yet", { timeout: RUN_DEADLINE_MS });
    const screen = app.screen();
    expect(screen).toContain("spawnInit() is still a TODO");
    expect(screen).not.toContain("✗");
    app.unmount();
  }, TEST_TIMEOUT_MS);
});
