// `workshop hint STEP [N]`: the step's hints (docs/hints/), one at a time, rendered for the
// terminal. Without N, the next one not yet seen; which ones were seen is kept in
// .workshop/progress.json, shared with the app.
import chalk, { Chalk } from "chalk";
import type { WriteStream } from "node:tty";
import { stripVTControlCharacters } from "node:util";
import { hintsFile, readPage } from "../course/pages.js";
import { loadProgress, progressFile, saveProgress } from "../course/progress.js";
import { stepName } from "../course/steps.js";
import { UserError } from "../errors.js";
import { loadMarkdown } from "../terminal/markdown.js";
import { colorDisabled } from "../format.js";
import { stepArgument, type Workspace } from "./workshop-args.js";

/** Lines no longer than this read well, however wide the terminal. */
const MAX_WIDTH = 100;
/** The width when the output is not a terminal (a pipe, a file). */
const PLAIN_WIDTH = 80;

export async function hintCommand(args: string[], { repo, out }: Workspace): Promise<number> {
  const [stepId, wanted, ...extra] = args;
  const step = stepArgument(stepId, "hint STEP [N]");
  if (extra.length) throw new UserError(`unexpected argument "${extra[0]}"`, "usage: workshop hint STEP [N]", 2);
  const { hints } = readPage(repo, step.doc);
  if (hints.length === 0) throw new UserError(`${hintsFile(step.doc)} has no hints`, "read the page's Tasks section, or `workshop solution ${step.id}`");
  const file = progressFile(repo);
  const progress = loadProgress(file);
  const seen = progress.hintsSeen[step.id] ?? 0;
  let n = Math.min(seen + 1, hints.length);
  if (wanted !== undefined) {
    n = Number(wanted);
    if (!Number.isInteger(n) || n < 1 || n > hints.length) throw new UserError(`${stepName(step)} has hints 1 to ${hints.length}, not "${wanted}"`, `e.g. workshop hint ${step.id} 1`, 2);
  }
  const terminal = (out as Partial<WriteStream>).isTTY === true;
  const color = terminal && !colorDisabled();
  const width = terminal ? Math.min((out as WriteStream).columns || PLAIN_WIDTH, MAX_WIDTH) : PLAIN_WIDTH;
  const render = await loadMarkdown();
  const text = render(hints[n - 1] ?? "", width).lines.join("\n");
  const paint = new Chalk({ level: color ? chalk.level : 0 });
  out.write(`${paint.bold(`Hint ${n} of ${hints.length} for ${stepName(step)} (${step.title})`)}\n\n${color ? text : stripVTControlCharacters(text)}\n\n`);
  out.write(n < hints.length ? `Still stuck? workshop hint ${step.id}\n` : `That was the last hint. The reference code: workshop solution ${step.id}\n`);
  progress.hintsSeen[step.id] = Math.max(seen, n);
  saveProgress(file, progress);
  return 0;
}
