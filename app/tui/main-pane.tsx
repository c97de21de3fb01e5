/**
 * The big pane: the step's page, or the trace of its last run, or its solution, or the keys.
 * Every view is a list of screen rows, scrolled by the app.
 */
import chalk from "chalk";
import { Text } from "ink";
import { useEffect, useMemo, useState } from "react";
import type { Page } from "../course/pages.js";
import { moduleFile, stepHeading, stepShortName, type Step } from "../course/steps.js";
import type { RunView } from "./check-runs.js";
import { isStep, type Entry } from "./course-entries.js";
import { docLines, LOADING_PAGE } from "./doc-lines.js";
import { KEYS } from "./keys.js";
import { appendRendered, type Block, type RenderMarkdown } from "../terminal/markdown.js";
import { visibleRows, type View } from "./page-view.js";
import { Panel } from "./panel.js";
import { stepDiff, stepSolution } from "../course/solution.js";
import { shownPath } from "../format.js";
import { readTrace } from "./trace.js";
import { traceLines } from "./trace-lines.js";
import { wrapLines } from "../terminal/wrap.js";

export type MainView = "doc" | "trace" | "solution" | "help";

export interface MainContent {
  title: string;
  lines: string[];
  /** Code blocks, tables, a diff: drawn to their own width, scrolled sideways. */
  blocks?: Block[];
  hintStarts?: number[];
  note?: string;
  /** The page's rows (whichever view is shown), and whether they are still a placeholder. */
  docRows: number;
  loading?: boolean;
}

interface ContentInput {
  view: MainView;
  /** The open step, or the introduction or the outro. */
  entry: Entry;
  page?: Page;
  hintsSeen: number;
  /** Undefined until the renderer has loaded. */
  render?: RenderMarkdown;
  width: number;
  run?: RunView;
  showDiff: boolean;
  repo: string;
  /** The learner's implementation and the reference. */
  impl: string;
  solutions: string;
}

export function useMainContent(input: ContentInput): MainContent {
  const { view, entry, page, hintsSeen, render, width, run, showDiff, repo } = input;
  // The introduction and the outro have their page and the keys: no trace, no solution.
  const step = isStep(entry) ? entry : undefined;
  const doc = useMemo(() => docLines(page, entry.doc, hintsSeen, render, width), [page, entry.doc, hintsSeen, render, width]);
  const diff = useDiff(view === "solution" && showDiff ? step : undefined, input);
  const solution = useMemo(
    () => (view === "solution" && !showDiff && step ? solutionLines(input.solutions, repo, step, render, width) : { lines: [] }),
    [view, showDiff, step, render, width],
  );
  const trace = useMemo(() => (view === "trace" && run ? traceLines(readTrace(run.traceFile), width, run) : []), [view, run, width]);
  const docState = { docRows: doc.lines.length, loading: doc.loading };

  if (view === "help") return { title: "Keys", lines: helpLines(width), ...docState };
  if (view === "doc" || !step) {
    const hints = page?.hints.length ? `hints ${Math.min(hintsSeen, page.hints.length)}/${page.hints.length}` : undefined;
    return { title: step ? stepHeading(step) : entry.title, lines: doc.lines, blocks: doc.blocks, hintStarts: doc.hintStarts, note: hints, ...docState };
  }
  if (view === "trace") {
    return {
      title: `Trace · ${run ? `last run of ${stepShortName(step)}` : "no run yet"}`,
      lines: run ? trace : [chalk.dim("No run of this step yet: press r to run its checks.")],
      ...docState,
    };
  }
  if (!showDiff) return { title: `Solution · ${stepShortName(step)}`, ...solution, ...docState };
  // Not wrapped: a wrapped line would lose its -/+ and read as context. It scrolls sideways.
  const lines = (diff ?? chalk.dim("Comparing…")).split("\n");
  return { title: `Your code → the solution · ${moduleFile(step)}`, lines, blocks: diff ? [{ start: 0, end: lines.length }] : [], ...docState };
}

function solutionLines(solutions: string, repo: string, step: Step, render: RenderMarkdown | undefined, width: number): { lines: string[]; blocks?: Block[] } {
  if (!render) return { lines: [chalk.dim(LOADING_PAGE)] };
  const { file, code } = stepSolution(solutions, step);
  const content = { lines: [chalk.bold(`${shownPath(repo, file)}: ${step.functions.join(", ")}`), ""], blocks: [] as Block[] };
  appendRendered(content, render(`\`\`\`ts\n${code}\n\`\`\``, width));
  content.lines.push("");
  return content;
}

/** The diff of the learner's module of `step` against the reference, computed when first asked for (when `step` is given). */
function useDiff(step: Step | undefined, { repo, impl, solutions }: ContentInput): string | undefined {
  const [diff, setDiff] = useState<{ key: string; text: string }>();
  const key = `${step?.id}:${impl}`;
  useEffect(() => {
    if (!step) return;
    let live = true;
    stepDiff(repo, impl, solutions, step)
      .then((diff) => (diff ? colorDiff(diff) : chalk.green("Your code is the same as the solution.")))
      .catch((error: Error) => chalk.red(`Could not compare: ${error.message}`))
      .then((text) => live && setDiff({ key, text }));
    return () => {
      live = false;
    };
  }, [key]);
  return diff?.key === key ? diff.text : undefined;
}

function colorDiff(diff: string): string {
  return diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("+++") || line.startsWith("---")) return chalk.bold(line);
      if (line.startsWith("+")) return chalk.green(line);
      if (line.startsWith("-")) return chalk.red(line);
      if (line.startsWith("@@")) return chalk.cyan(line);
      return line;
    })
    .join("\n");
}

function helpLines(width: number): string[] {
  const keyWidth = Math.max(...KEYS.map((k) => k.keys.length)) + 2;
  const lines = KEYS.flatMap((k) => wrapLines(`${chalk.bold(k.keys.padEnd(keyWidth))}${k.does}`, width).map((l, i) => (i === 0 ? l : " ".repeat(keyWidth) + l.trimStart())));
  return [
    ...lines,
    "",
    ...wrapLines(chalk.dim("Checks run when you open a step and each time you save a file of your runtime. Your place, the hints you have seen and the checks that passed are saved in .workshop/progress.json."), width),
  ];
}

interface MainPaneProps {
  content: MainContent;
  view: Omit<View, "rows" | "width">;
  width: number;
  height: number;
  focused: boolean;
  padding?: number;
  /** Projector mode: no faint or grey text, which a projector washes out. */
  highContrast?: boolean;
}

// Faint (SGR 2) and grey (SGR 90) turned on: what chalk.dim and chalk.gray write. Their ends stay, harmless.
const FAINT_OR_GREY = /\u001b\[(?:2|90)m/g;

export function MainPane({ content, view, width, height, focused, padding = 1, highContrast = false }: MainPaneProps) {
  const rows = height - 2;
  const { offset } = view;
  const shown = visibleRows(content, { ...view, rows, width: width - 2 - 2 * padding });
  const scrolled = content.lines.length > rows ? `${Math.round((100 * Math.min(offset + rows, content.lines.length)) / content.lines.length)}%` : undefined;
  const note = [content.note, shown.cut ? "← →" : undefined, scrolled].filter(Boolean).join(" · ");
  return (
    <Panel title={content.title} note={note || undefined} width={width} height={height} focused={focused} padding={padding}>
      <Text>{shown.rows.map((line) => (highContrast ? line.replace(FAINT_OR_GREY, "") : line)).join("\n")}</Text>
    </Panel>
  );
}
