/**
 * Stepping away from the app and back: Ctrl-Z hands the terminal to the shell until `fg`, and `e`
 * hands it to the learner's editor until it exits. Either way the checks under way are stopped
 * first (their time limits would run out while the app is away, failing them for nothing) and run
 * again on return; the terminal is given back as the shell had it, then taken again and the
 * last frame redrawn.
 */
import { useStdout } from "ink";
import { join } from "node:path";
import { findStep, moduleFile } from "../course/steps.js";
import { shownPath } from "../format.js";
import { underWay, type CheckRuns } from "./check-runs.js";
import { editorCommand, type TerminalControl } from "./terminal-control.js";
import type { Ui } from "./ui-state.js";

export interface SuspendOptions {
  /** None: the app is not in a terminal of its own (a test without one), and the keys say so. */
  terminal?: TerminalControl;
  checks: CheckRuns;
  rerun(why?: string): void;
  latestUi: { readonly current: Ui };
  update(change: Partial<Ui>): void;
  repo: string;
  /** The learner's implementation directory: `e` opens their file, in instructor mode too. */
  impl: string;
}

export function useSuspend({ terminal, checks, rerun, latestUi, update, repo, impl }: SuspendOptions) {
  // Ink's own write: it clears its frame, writes nothing, and draws the last frame again.
  const { write: redraw } = useStdout();
  const away = async (why: string, during: (terminal: TerminalControl) => string | void): Promise<string | void> => {
    if (!terminal) return;
    const running = [...checks.snapshot().values()].some(underWay);
    await checks.cancel();
    terminal.leave();
    let problem: string | void;
    try {
      problem = during(terminal);
    } finally {
      terminal.enter({ mouse: latestUi.current.mouse });
      redraw("");
    }
    if (running) rerun(why);
    return problem;
  };
  const suspend = () => {
    if (!terminal) return update({ notice: "Ctrl-Z needs the app in a terminal of its own." });
    void away("continued after ctrl-z", (t) => t.stop());
  };
  const edit = () => {
    const step = findStep(latestUi.current.openId);
    if (!step) return;
    const file = join(impl, moduleFile(step));
    const editor = editorCommand();
    if (!editor) return update({ notice: `No editor set: export EDITOR=nano (or $VISUAL) to open ${shownPath(repo, file)} with e.` });
    if (!terminal) return update({ notice: `Opening an editor needs the app in a terminal of its own: open ${shownPath(repo, file)} yourself.` });
    void away(`edited ${moduleFile(step)}`, (t) => t.run(editor, file)).then((problem) => {
      if (problem) update({ notice: `Could not open ${shownPath(repo, file)}: ${problem}.` });
    });
  };
  return { suspend, edit };
}
