// Every key counts, however they arrive: several in one read (key repeat, a mouse wheel, keys
// typed while the app starts), or Esc followed at once by another key.
import { afterEach, beforeEach, describe, it } from "vitest";
import { STEPS } from "../../app/course/steps.js";
import { Course, KEY, renderApp } from "./support.js";

let course: Course;
beforeEach(() => {
  course = new Course();
  course.startAt("1");
});
afterEach(() => course.remove());

describe("keys that arrive together", () => {
  it("moves one line per j in a single write of jjj, and per ↓ in a single write of three", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 1.");
    // From step 1 (the open one): three down is step 4.
    app.stdin.write("jjj");
    await app.press(KEY.enter);
    await app.shows("The page of step 4.");
    app.stdin.write(KEY.down.repeat(2));
    await app.press(KEY.enter);
    await app.shows("The page of step 6.");
    app.unmount();
  });

  it("takes Esc followed at once by a key as two keys, not Alt+key", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 1.");
    await app.press("?");
    await app.shows("Keys");
    // Esc closes the help; the k right behind it moves the cursor up, to the introduction.
    app.stdin.write(`${KEY.escape}k`);
    await app.shows("The page of step 1.");
    await app.press(KEY.enter);
    await app.shows("The intro page.");
    app.unmount();
  });
});

describe("reading", () => {
  it("on a page without checks (the introduction), ↓ reads on: the page has the focus", async () => {
    course.startAt("intro");
    const app = await renderApp({ course, columns: 80, rows: 24 });
    await app.shows("The intro page.");
    await app.press(...Array.from({ length: 6 }, () => KEY.down));
    await app.shows(/^(?![\s\S]*The intro page\.)/);
    // The list's cursor stayed where it was: Enter opens the introduction again, at its top.
    await app.press(KEY.enter);
    await app.shows("The intro page.");
    app.unmount();
  });
});

describe("g and G", () => {
  it("go to the top and bottom of the focused pane: in the list, to its first and last entries", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.shows("The page of step 1.");
    await app.press("G", KEY.enter);
    await app.shows(`The page of step ${STEPS.at(-1)!.id}.`);
    await app.press("g", KEY.enter);
    await app.shows("The intro page.");
    app.unmount();
  });
});
