// The learner's app in a room: it shares the step it opens and its runs' results (the failure's
// first line without the machine's paths), shows that it is connected and where, and J leaves or
// joins (remembered in the progress file).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProgress } from "../../app/course/progress.js";
import { Course, KEY, ScriptedRunner, renderApp } from "../tui/support.js";
import { rowsByName, startRoom, until } from "./support.js";

let course: Course;
beforeEach(() => {
  course = new Course();
});
afterEach(() => course.remove());

describe("the app in a room", () => {
  it("shares its step and results, says it is connected, leaves and joins again with J", async () => {
    const room = await startRoom();
    const label = new URL(room.url).host;
    course.saveProgress({ currentStep: "1", hintsSeen: {}, passed: {}, room: { url: room.url, name: "Ana", learner: "0123456789abcdef" } });
    const runner = new ScriptedRunner();
    const app = await renderApp({ course, runner, columns: 120, rows: 30 });
    await app.shows(`● room ${label}`);
    await until(() => expect(rowsByName(room.state).Ana).toMatchObject({ step: "1", connected: true }));

    const run = await runner.latest();
    run.report(0, "fail", `the pid was 7, see ${course.repo}/impl/process.ts and /root/.bashrc\nsecond line`);
    run.report(1, "pass");
    run.end();
    await until(() => expect(rowsByName(room.state).Ana).toMatchObject({ step: "1", checks: "1/2", failing: "1.first" }));
    expect(room.state.learners.get("0123456789abcdef")!.results["1"]!.failure).toEqual({ check: "1.first", line: "the pid was 7, see impl/process.ts and …" });

    await app.press(KEY.down, KEY.enter);
    await until(() => expect(rowsByName(room.state).Ana?.step).toBe("2"));

    await app.press("J");
    await until(() => expect(room.state.learners.size).toBe(0));
    expect(loadProgress(course.progressFile).room).toBeUndefined();
    await app.shows(/^(?![^]*● room)/);

    await app.press("J");
    await app.shows("Join a room: its URL");
    await app.press(room.url, KEY.enter);
    await app.shows("Your name, as the instructor will see it");
    await app.press("Bo", KEY.enter);
    await app.shows(`● room ${label}`);
    await until(() => expect(rowsByName(room.state).Bo).toMatchObject({ step: "2", connected: true }));
    expect(loadProgress(course.progressFile).room).toMatchObject({ url: room.url, name: "Bo" });
    app.unmount();
  });

  it("says when the URL typed is not a room's, and asks again", async () => {
    course.startAt("1");
    const app = await renderApp({ course, columns: 120, rows: 30 });
    await app.press("J", "http://10.0.0.1/nothing", KEY.enter);
    await app.shows(`"http://10.0.0.1/nothing" is not a room's URL. Room URL: http://10.0.0.1/nothing▏`);
    await app.press(..."x".repeat(5), KEY.enter);
    await app.shows(`is not a room's URL. Room URL: http://10.0.0.1/nothingxxxxx▏`);
    await app.press(KEY.escape);
    await app.shows(/^(?![^]*Room URL)/);
    expect(loadProgress(course.progressFile).room).toBeUndefined();
    app.unmount();
  });
});
