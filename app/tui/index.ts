/**
 * `workshop` with no arguments: the app. `openApp` draws it until the learner quits and resolves
 * with the exit status; without a terminal it prints the plain status instead.
 *
 * Only what the first screen needs is loaded before it is drawn: React and Ink (in production
 * mode: the development builds take twice as long to load and run), the app and the checks'
 * list. The doctor and the page renderer load after.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProgress, progressFile } from "../course/progress.js";
import { shownPath } from "../format.js";
import { onStopSignals } from "../stop-signals.js";
import { CheckRuns } from "./check-runs.js";
import { realTerminal } from "./terminal-control.js";
import type { Runner } from "./runner.js";

export interface OpenAppOptions {
  /** The repository: the course pages, the reference solution and .workshop/progress.json. */
  repo: string;
  /** "exercises", "solutions" or an implementation directory. */
  impl: string;
  /** The container store root for the checks. */
  root?: string;
  /** Start in instructor mode: checks run the reference solution, with its trace. */
  instructor?: boolean;
  /** Start in projector mode (else as the progress file left it). */
  projector?: boolean;
}

export async function openApp(options: OpenAppOptions): Promise<number> {
  const [checks, prepare] = await Promise.all([import("../checks/index.js"), import("../checks/prepare.js")]);
  const runner: Runner = checks;
  const impl = prepare.implDirectory(options.impl);
  const progress = progressFile(options.repo);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    const { plainStatus } = await import("./plain-status.js");
    process.stdout.write(plainStatus(loadProgress(progress), runner.checksOf));
    return 0;
  }
  // Read once, as they load: React picks its build from NODE_ENV, and Ink draws only the last
  // frame when CI is set — but a terminal is interactive, whatever CI says. The settings go no
  // further (not to the checks' processes).
  const loadTime = { NODE_ENV: process.env.NODE_ENV ?? "production", CI: "0", CONTINUOUS_INTEGRATION: "0" };
  const saved = Object.fromEntries(Object.keys(loadTime).map((name) => [name, process.env[name]]));
  Object.assign(process.env, loadTime);
  const [{ render }, { appElement }, { applyColorPreference }, { loadMarkdown }, { terminalClipboard }, { watchDirectory }, { TypeChecks }, { typeCheckThread }] = await Promise.all([
    import("ink"),
    import("./app.js"),
    import("./theme.js"),
    import("../terminal/markdown.js"),
    import("../terminal/clipboard.js"),
    import("./watch.js"),
    import("./type-checks.js"),
    import("./type-check-thread.js"),
  ]).finally(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  applyColorPreference();
  const traceDir = mkdtempSync(join(tmpdir(), "workshop-trace-"));
  const removeTraces = () => rmSync(traceDir, { recursive: true, force: true });
  process.on("exit", removeTraces);
  // A closed terminal (SIGHUP: the window, the SSH connection) still lets the app stop its
  // checks and clean up; drawing then fails with EIO, which is no reason to crash.
  const quit = new AbortController();
  const stopCatching = onStopSignals(() => quit.abort());
  const terminalGone = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EIO" && error.code !== "EPIPE") throw error;
  };
  process.stdout.on("error", terminalGone);
  process.stdin.on("error", terminalGone);
  // TypeScript in a thread of its own: the first check takes seconds, during which the app must
  // keep answering keys.
  const typeChecker = typeCheckThread();
  // The alternate screen: the app has the whole terminal, and quitting gives the shell back as it was.
  const terminal = realTerminal({ alternateScreen: true });
  terminal.enter({ mouse: true });
  try {
    const app = render(
      appElement({
        repo: options.repo,
        impl,
        solutions: join(options.repo, "solutions"),
        instructor: options.instructor,
        projector: options.projector,
        progressFile: progress,
        quitSignal: quit.signal,
        services: {
          checks: new CheckRuns({ runner, traceDir, root: options.root, prepare: prepare.buildContainer }),
          types: new TypeChecks(typeChecker.check),
          doctor: async () => (await import("../doctor/index.js")).runDoctor(),
          loadMarkdown,
          watch: watchDirectory,
          clipboard: terminalClipboard(),
          terminal,
        },
      }),
      // 60 frames a second at most (Ink's default is 30): a key arriving just after a frame waits
      // for the next one, and one frame should be the most a key ever waits.
      { exitOnCtrlC: false, maxFps: 60 },
    );
    await app.waitUntilExit();
  } finally {
    // The shell back first, with where to pick up: closing the type checker's thread can take a
    // moment, which should not be a blank screen.
    terminal.leave();
    process.stdout.write(farewell(options.repo, progress));
    await typeChecker.close();
    removeTraces();
    process.off("exit", removeTraces);
    stopCatching();
  }
  return 0;
}

/** The line left in the terminal on quitting: where the progress is, and how to come back. */
function farewell(repo: string, progressFile: string): string {
  return `Progress saved in ${shownPath(repo, progressFile)}. Come back with: ./bin/workshop\n`;
}
