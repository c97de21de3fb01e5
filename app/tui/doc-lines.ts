/**
 * What the page pane shows for a step: its page rendered to the pane's width, the hints revealed
 * so far under it, and a line saying how to get the next one.
 */
import chalk from "chalk";
import type { Page } from "../course/pages.js";
import type { RenderMarkdown } from "../terminal/markdown.js";

export interface DocContent {
  lines: string[];
  /** The line each revealed hint starts at, to scroll to it. */
  hintStarts: number[];
}

export function docLines(page: Page | undefined, doc: string, hintsSeen: number, render: RenderMarkdown, width: number): DocContent {
  if (!page) return { lines: [chalk.dim(`This step's page, ${doc}, is not written yet.`)], hintStarts: [] };
  const lines = render(page.body, width);
  const hintStarts: number[] = [];
  const shown = Math.min(hintsSeen, page.hints.length);
  for (let i = 0; i < shown; i++) {
    lines.push("");
    hintStarts.push(lines.length);
    lines.push(chalk.bold.yellow(`Hint ${i + 1} of ${page.hints.length}`), "");
    lines.push(...render(page.hints[i] ?? "", width));
  }
  if (page.hints.length > 0) {
    lines.push("");
    lines.push(
      chalk.dim(shown < page.hints.length ? `Stuck? Press h for hint ${shown + 1} of ${page.hints.length}.` : "That was the last hint. Press s to see the solution."),
    );
  }
  return { lines, hintStarts };
}
