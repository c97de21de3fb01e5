/**
 * The app and a real terminal (tmux, 80×24), inside an interactive bash as a learner has one:
 * Ctrl-Z hands the terminal to the shell and fg takes it back, `e` hands it to $EDITOR, and the
 * mouse is reported to the app until `m` turns it off. The app runs the real checks against the
 * pristine exercises meanwhile.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuilt } from "../../app/build/bundle.mjs";
import { requireProgram, requireRoot } from "../helpers/requirements.js";
import { Terminal } from "../helpers/tmux.js";
import { Course } from "./support.js";

const terminal = new Terminal();
const screen = () => terminal.screen();
/** What tmux knows of the pane: whether it is on the alternate screen, and whether it asked for the mouse. */
const pane = (format: string) => terminal.pane(format);

async function shows(text: string | RegExp, timeout = 20_000): Promise<void> {
  await vi.waitFor(() => expect(screen()).toMatch(text), { timeout, interval: 50 });
}

describe("the app in a terminal, stepping away and back", () => {
  let course: Course;
  let root: string;
  let impl: string;
  let command: string;

  beforeAll(async () => {
    course = new Course();
    root = mkdtempSync(join(tmpdir(), "workshop-e2e-terminal-store-"));
    impl = course.copyExercises();
    const built = await ensureBuilt({ name: "test-open-app", entries: { script: join(import.meta.dirname, "fixtures/open-app.ts") } });
    command = [process.execPath, built.files.script as string, course.repo, impl, root].map((a) => `'${a}'`).join(" ");
  });

  afterAll(() => {
    terminal.close();
    course.remove();
    rmSync(root, { recursive: true, force: true });
  });

  /** An interactive bash (job control on) in a fresh 80×24 session, the app started in it with `env`. */
  async function startInShell(env = "", at = "1"): Promise<void> {
    course.startAt(at);
    terminal.open("env PS1='shell$ ' bash --norc --noprofile -i");
    await shows("shell$");
    terminal.type(`${env}${command}`);
    await shows(at === "1" ? "The page of step 1." : "steps done");
  }

  async function quit(): Promise<void> {
    terminal.keys("q");
    await shows(/Come back with/);
    await vi.waitFor(() => expect(pane("#{alternate_on} #{mouse_any_flag}")).toBe("0 0"), { timeout: 15_000, interval: 50 });
  }

  it("Ctrl-Z gives the shell its prompt and its screen back; fg brings the app back, redrawn, and it still answers keys", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    await startInShell();
    expect(pane("#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag}")).toBe("1 1 1");
    terminal.keys("C-z");
    await shows(/Stopped/);
    await vi.waitFor(() => expect(pane("#{alternate_on} #{mouse_any_flag} #{cursor_flag}")).toBe("0 0 1"), { timeout: 15_000, interval: 50 });
    expect(screen()).not.toContain("The page of step 1.");
    // The shell has the keyboard: it runs a command.
    terminal.type("echo the shell $((6 * 7))");
    await shows("the shell 42");
    terminal.type("fg");
    await shows("The page of step 1.");
    expect(pane("#{alternate_on} #{mouse_any_flag}")).toBe("1 1");
    // The whole frame is back, not only what changed since.
    expect(screen()).toContain("0/6 steps done");
    expect(screen()).toContain("─ Checks");
    terminal.keys("n");
    await shows("The page of step 2.");
    await quit();
  }, 90_000);

  it("e opens the step's file in $EDITOR, which has the keyboard to itself, and the app comes back after", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    const marker = join(course.repo, "editor-read");
    const editor = join(course.repo, "fake-editor");
    // Shows the file it was given, reads a line from the terminal, keeps it.
    writeFileSync(editor, `#!/bin/sh\nprintf 'editing %s\\n' "$1"\nread line\nprintf '%s' "$line" > '${marker}'\n`);
    chmodSync(editor, 0o755);
    await startInShell(`VISUAL= EDITOR='${editor}' `);
    terminal.keys("e");
    await shows(`editing ${join(impl, "process.ts")}`);
    expect(pane("#{alternate_on} #{mouse_any_flag}")).toBe("0 0");
    terminal.type("jjj typed in the editor");
    await vi.waitFor(() => expect(readFileSync(marker, "utf8")).toBe("jjj typed in the editor"), { timeout: 15_000, interval: 50 });
    await shows("The page of step 1.");
    expect(pane("#{alternate_on} #{mouse_any_flag}")).toBe("1 1");
    // None of what was typed in the editor reached the app: the cursor is still on step 1.
    terminal.keys("Enter");
    await shows("Step 1 · Process creation");
    await quit();
  }, 90_000);

  it("the wheel scrolls the page; m hands the mouse back to the terminal for selecting text", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "tmux", "tmux");
    await startInShell("", "intro");
    await shows("The intro page.");
    // What a terminal sends for a wheel notch down over the page (column 40, row 8).
    terminal.keys("-l", "\u001b[<65;40;8M");
    await vi.waitFor(() => expect(screen()).not.toContain("The intro page."), { timeout: 15_000, interval: 50 });
    terminal.keys("m");
    await shows("Mouse off: drag to select text");
    expect(pane("#{mouse_any_flag}")).toBe("0");
    terminal.keys("m");
    await shows("Mouse on");
    expect(pane("#{mouse_any_flag} #{mouse_sgr_flag}")).toBe("1 1");
    await quit();
  }, 90_000);
});
