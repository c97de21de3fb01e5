/**
 * Reading in a real terminal: the app in tmux at 80×24 on a page without checks (nothing runs),
 * keys sent as a person types them. c puts the code block on tmux's clipboard (OSC 52, which
 * tmux takes with `set-clipboard on`); → shows the rest of a wide line; the page's place is
 * there again after quitting and starting over. Inside tmux, links are not OSC 8 hyperlinks:
 * their address is written out.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuilt } from "../../app/build/bundle.mjs";
import { INTRODUCTION_PAGE } from "../../app/course/steps.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";
import { Terminal } from "../helpers/tmux.js";
import { Course, shippedExercises } from "./support.js";
import { processesMentioning } from "../reliability/processes.js";

const terminal = new Terminal();
const screen = () => terminal.screen();
const keys = (...names: string[]) => terminal.keys(...names);

async function shows(text: string, timeout = 20_000): Promise<void> {
  await vi.waitFor(() => expect(screen()).toContain(text), { timeout, interval: 50 });
}

/** The page pane's rows, inside its borders. */
function pageRows(): string[] {
  const lines = screen().split("\n");
  const top = lines.findIndex((line) => line.startsWith("╭─ Introduction"));
  const bottom = lines.findIndex((line, i) => i > top && line.startsWith("╰"));
  return lines.slice(top + 1, bottom).map((line) => line.slice(2, 78));
}

const CODE = ["ls -l /proc/self/ns", `echo "CODE-START ${"x".repeat(80)} CODE-END"`];
const PAGE = `# Introduction

The intro page.

\`\`\`sh
${CODE.join("\n")}
\`\`\`

See [the manual page](https://man7.org/linux/man-pages/man7/namespaces.7.html).

${Array.from({ length: 40 }, (_, i) => `Paragraph ${String(i + 1).padStart(2, "0")}: ${"a sentence to read. ".repeat(6)}`).join("\n\n")}
`;

describe("reading in a terminal", () => {
  let course: Course;

  beforeAll(() => {
    course = new Course();
    writeFileSync(join(course.repo, INTRODUCTION_PAGE.doc), PAGE);
  });

  afterAll(async () => {
    // An app left running (a failed test) quits first, out of a search if it is in one: it writes
    // the progress file as it goes, which must not land in the course after it is removed.
    try {
      keys("Escape", "Escape", "q");
      await vi.waitFor(() => expect(terminal.pane("#{pane_dead}")).toBe("1"), { timeout: 20_000, interval: 100 });
    } catch {
      // no app, or no server
    }
    terminal.close();
    await vi.waitFor(() => expect(processesMentioning(course.repo)).toEqual([]), { timeout: 20_000, interval: 100 });
    course.remove();
  });

  /** The app in an 80×24 tmux session whose clipboard takes OSC 52; returns the file its exit status goes to. */
  async function startApp(): Promise<string> {
    const built = await ensureBuilt({ name: "test-open-app", entries: { script: join(import.meta.dirname, "fixtures/open-app.ts") } });
    const status = join(course.repo, "exit-status");
    rmSync(status, { force: true });
    const command = [process.execPath, built.files.script, course.repo, shippedExercises()].map((a) => `'${a}'`).join(" ");
    terminal.open(`${command}; echo $? > '${status}'`, { keep: true });
    terminal.run("set-option", "-g", "set-clipboard", "on");
    return status;
  }

  it("copies the code block to the terminal's clipboard, scrolls it sideways, and opens the page where it was left", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    let status = await startApp();
    await shows("The intro page.");
    expect(screen()).toContain("ls -l /proc/self/ns");
    expect(screen()).not.toContain("CODE-END");
    // tmux draws no hyperlinks unless told: the address is written out.
    expect(screen()).toContain("(https://man7.org/linux/man-pages/man7/namespaces.7.html)");

    keys("c");
    await shows("Copied the code block (2 lines)");
    await vi.waitFor(() => expect(terminal.run("show-buffer")).toBe(CODE.join("\n")), { timeout: 10_000, interval: 50 });

    keys(...Array.from({ length: 5 }, () => "Right"));
    await shows("CODE-END");
    expect(screen()).toContain("The intro page.");

    // A search: the match in reverse video, the page moved to it.
    keys("/", "P", "a", "r", "a", "g", "r", "a", "p", "h", " ", "3", "5", "Enter");
    await shows("match 1 of 1");
    expect(terminal.screen("-e")).toMatch(/\u001b\[[\d;]*7m\s*Paragraph 35/);
    keys("Escape", "g");
    await shows("The intro page.");

    keys(...Array.from({ length: 25 }, () => "j"));
    await vi.waitFor(() => expect(pageRows().join("\n")).not.toContain("The intro page."), { timeout: 10_000, interval: 50 });
    const place = pageRows();
    keys("q");
    await vi.waitFor(() => expect(readFileSync(status, "utf8")).toBe("0\n"), { timeout: 20_000, interval: 50 });

    status = await startApp();
    await shows("Paragraph");
    await vi.waitFor(() => expect(pageRows()).toEqual(place), { timeout: 10_000, interval: 50 });
    keys("q");
    await vi.waitFor(() => expect(readFileSync(status, "utf8")).toBe("0\n"), { timeout: 20_000, interval: 50 });
  }, 90_000);
});
