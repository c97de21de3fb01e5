/**
 * Driving the app in tests: a scripted runner whose runs the test advances check by check, a
 * throwaway course (pages with hints, a progress file), and the app rendered with
 * ink-testing-library at a fixed terminal size.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { render } from "ink-testing-library";
import { afterAll, expect, vi } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { pristineExercises } from "../helpers/implementations.js";
import { hintsFile } from "../../app/course/pages.js";
import { INTRODUCTION_PAGE, OUTRO_PAGE, STEPS } from "../../app/course/steps.js";
import type { Finding } from "../../app/doctor/index.js";
import { App, type AppServices } from "../../app/tui/app.js";
import { CheckRuns, underWay, type CheckRunsOptions } from "../../app/tui/check-runs.js";
import { loadMarkdown } from "../../app/terminal/markdown.js";
import type { CheckInfo, CheckResult, CheckStatus, RunOptions, Runner } from "../../app/tui/runner.js";
import { TypeChecks, type TypeCheck } from "../../app/tui/type-checks.js";
import type { TypeError } from "../../app/checks/type-check.js";

export const KEY = { up: "\u001b[A", down: "\u001b[B", enter: "\r", tab: "\t", shiftTab: "\u001b[Z", escape: "\u001b", pageDown: "\u001b[6~" } as const;

/** Two checks per step: "<step>.first" and "<step>.second". */
export function checksFor(stepId: string): CheckInfo[] {
  return [
    { id: `${stepId}.first`, title: `first check of step ${stepId}` },
    { id: `${stepId}.second`, title: `second check of step ${stepId}` },
  ];
}

/** One run the test drives: `start`, then `report` each check, then `end`. */
export class ScriptedRun {
  readonly results: CheckResult[] = [];
  aborted = false;
  private resolve!: (results: CheckResult[]) => void;
  readonly done = new Promise<CheckResult[]>((r) => (this.resolve = r));

  constructor(
    readonly stepId: string,
    readonly options: RunOptions,
  ) {
    options.signal?.addEventListener("abort", () => {
      this.aborted = true;
      this.end();
    });
  }

  start(index: number): void {
    this.options.onStart?.(this.stepId, checksFor(this.stepId)[index] as CheckInfo);
  }

  report(index: number, status: CheckStatus, message?: string, durationMs = 250): void {
    const result = { ...(checksFor(this.stepId)[index] as CheckInfo), step: this.stepId, status, message, durationMs };
    this.results.push(result);
    this.options.onResult?.(result);
  }

  end(): void {
    this.resolve(this.results);
  }

  /** Every check passes, then the run ends. */
  pass(): void {
    checksFor(this.stepId).forEach((_, index) => this.report(index, "pass"));
    this.end();
  }
}

/** A type checker the test answers: each check waits until the test gives its errors. */
export class ScriptedTypeCheck {
  readonly requests: { impl: string; answer(errors: TypeError[]): void; fail(error: Error): void }[] = [];

  check: TypeCheck = (impl) => new Promise((answer, fail) => this.requests.push({ impl, answer, fail }));

  /** The `count`th check asked for, once it has been. */
  async nth(count: number) {
    await vi.waitFor(() => expect(this.requests.length).toBeGreaterThanOrEqual(count), { timeout: 10_000 });
    return this.requests[count - 1] as ScriptedTypeCheck["requests"][number];
  }
}

export class ScriptedRunner implements Runner {
  readonly runs: ScriptedRun[] = [];

  checksOf = (stepId: string): CheckInfo[] => checksFor(stepId);

  runStep = (stepId: string, options: RunOptions): Promise<CheckResult[]> => {
    const run = new ScriptedRun(stepId, options);
    this.runs.push(run);
    return run.done;
  };

  /** The latest run, once it has started. */
  async latest(count = this.runs.length || 1): Promise<ScriptedRun> {
    await vi.waitFor(() => expect(this.runs.length).toBeGreaterThanOrEqual(count), { timeout: 10_000 });
    return this.runs[count - 1] as ScriptedRun;
  }
}

let shipped: { parent: string; exercises: string } | undefined;
// Removed after the test file that made them (a fork's exit handlers do not run: vitest ends it).
afterAll(() => {
  if (shipped) rmSync(shipped.parent, { recursive: true, force: true });
  shipped = undefined;
});

/**
 * The exercises as the course ships them (from git), whatever the learner has written in
 * exercises/: one copy per test file.
 */
export function shippedExercises(): string {
  if (!shipped) {
    const parent = mkdtempSync(join(tmpdir(), "workshop-tui-exercises-"));
    shipped = { parent, exercises: pristineExercises(parent) };
  }
  return shipped.exercises;
}

/** A course of its own: every step's page has a body naming the step and three hints; the introduction and the outro have none. */
export class Course {
  readonly repo = mkdtempSync(join(tmpdir(), "workshop-tui-course-"));
  readonly progressFile = join(this.repo, ".workshop", "progress.json");
  readonly traceDir = join(this.repo, "traces");

  constructor() {
    mkdirSync(join(this.repo, "docs", "hints"), { recursive: true });
    mkdirSync(this.traceDir);
    for (const step of STEPS) {
      const hints = [1, 2, 3].map((n) => `## Hint ${n}\n\nHint ${n} of step ${step.id}: ${"think. ".repeat(n)}`).join("\n\n");
      writeFileSync(join(this.repo, step.doc), `# ${step.title}\n\nThe page of step ${step.id}.\n\n## Tasks\n\n- write it\n- save it\n`);
      writeFileSync(join(this.repo, hintsFile(step.doc)), `# Hints for step ${step.id}\n\n${hints}\n`);
    }
    for (const page of [INTRODUCTION_PAGE, OUTRO_PAGE]) {
      writeFileSync(join(this.repo, page.doc), `# ${page.title}\n\nThe ${page.id} page.\n\n${"A paragraph to scroll through.\n\n".repeat(30)}The end of the ${page.id} page.\n`);
    }
  }

  /** A copy of the exercises as shipped, for a test that saves files in it. */
  copyExercises(): string {
    const dir = join(this.repo, "impl");
    cpSync(shippedExercises(), dir, { recursive: true });
    return dir;
  }

  /** Progress that opens the app on `id` (a step, "intro" or "outro"), with the steps `done` passed and nothing else. */
  startAt(id: string, done: readonly string[] = []): void {
    this.saveProgress({ currentStep: id, hintsSeen: {}, passed: Object.fromEntries(done.map((step) => [step, checksFor(step).map((c) => c.id)])) });
  }

  saveProgress(progress: object): void {
    mkdirSync(join(this.repo, ".workshop"), { recursive: true });
    writeFileSync(this.progressFile, JSON.stringify(progress));
  }

  remove(): void {
    rmSync(this.repo, { recursive: true, force: true });
  }
}

export interface AppOptions {
  course: Course;
  runner?: Runner;
  /** Builds the implementation before its checks run (none: the scripted runs need no bundle). */
  prepare?: CheckRunsOptions["prepare"];
  services?: Partial<Omit<AppServices, "checks" | "types">>;
  /** Type-checks the implementation (none: every check finds nothing, at once). */
  typeCheck?: TypeCheck;
  findings?: Finding[];
  impl?: string;
  /** The container store root the checks use. */
  root?: string;
  instructor?: boolean;
  projector?: boolean;
  columns?: number;
  rows?: number;
}

/**
 * Renders the app in a terminal of the given size; `screen()` is the last frame without colours,
 * `checks` the app's runs of checks.
 */
export async function renderApp({ course, runner = new ScriptedRunner(), prepare, services, typeCheck = async () => [], findings = [], impl, root, instructor, projector, columns = 80, rows = 24 }: AppOptions) {
  const checks = new CheckRuns({ runner, traceDir: course.traceDir, root, prepare });
  const types = new TypeChecks(typeCheck);
  const app = render(
    <App
      repo={course.repo}
      impl={impl ?? shippedExercises()}
      solutions={join(REPO, "solutions")}
      progressFile={course.progressFile}
      instructor={instructor}
      projector={projector}
      services={{ checks, types, doctor: async () => findings, loadMarkdown, ...services }}
    />,
  );
  // ink-testing-library's terminal is 100 columns and has no rows: give it a size, as a terminal
  // does, and tell the app it changed.
  const size = { columns, rows };
  Object.defineProperty(app.stdout, "columns", { get: () => size.columns });
  Object.defineProperty(app.stdout, "rows", { get: () => size.rows });
  app.stdout.emit("resize");
  const screen = () => stripVTControlCharacters(app.lastFrame() ?? "");
  await vi.waitFor(() => expect(screen().split("\n").length === rows - 1 || screen().includes("Make the terminal")).toBe(true), { timeout: 10_000 });
  return {
    ...app,
    checks,
    types,
    screen,
    /** Types keys one at a time, as a person would. */
    async press(...keys: string[]) {
      for (const key of keys) {
        app.stdin.write(key);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /**
     * Waits until what the keys and saves so far asked of the checks and the type checker has
     * happened: then an assertion that nothing ran means it. Fails, naming the runs, if they are
     * still under way after `timeout` ms.
     */
    async idle({ timeout = 5000 } = {}) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const busy = [...checks.snapshot().values()].filter(underWay).map((v) => `step ${v.stepId}`);
          if (types.snapshot()?.checking) busy.push("the type check");
          reject(new Error(`the checks are still busy after ${timeout} ms (${busy.join(", ") || "a request waiting"})`));
        }, timeout);
      });
      await Promise.race([Promise.all([checks.whenIdle(), types.whenIdle()]), late]).finally(() => clearTimeout(timer));
    },
    /** Waits until the screen shows `text`, for at most `timeout` ms (a scripted run's screens come at once; a busy machine may still take seconds). */
    async shows(text: string | RegExp, { timeout = 10_000 } = {}) {
      await vi.waitFor(() => expect(screen()).toMatch(text), { timeout, interval: 20 });
    },
    /** The checks pane's text, its rows joined by spaces: a sentence wrapped over rows reads as one. */
    checksPane: () => paneText(screen(), "Checks"),
    /** Waits until the checks pane shows `text` (see `shows`). */
    async checksShow(text: string | RegExp, { timeout = 10_000 } = {}) {
      await vi.waitFor(() => expect(paneText(screen(), "Checks")).toMatch(text), { timeout, interval: 20 });
    },
    resize(columns: number, rows: number) {
      Object.assign(size, { columns, rows });
      app.stdout.emit("resize");
    },
  };
}

/** The text inside the pane whose title starts with `title`, row after row, joined by spaces. */
function paneText(screen: string, title: string): string {
  const lines = screen.split("\n");
  const at = (line: string) => Math.max(line.indexOf(`─ ${title}`), line.indexOf(`━ ${title}`));
  const top = lines.findIndex((line) => at(line) > 0);
  if (top < 0) return "";
  const topLine = lines[top] as string;
  // The corner before the title, and the one that closes the border.
  const left = at(topLine) - 1;
  const right = Math.max(topLine.indexOf("╮", left), topLine.indexOf("┓", left));
  const rows: string[] = [];
  for (const line of lines.slice(top + 1)) {
    const row = line.slice(left, right + 1);
    if (/^[╰┗]/.test(row)) break;
    rows.push(row.slice(1, -1).trim());
  }
  return rows.filter(Boolean).join(" ");
}
