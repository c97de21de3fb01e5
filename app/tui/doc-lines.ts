/**
 * What the page pane shows for a step: its page rendered to the pane's width, the hints revealed
 * so far under it, and a line saying how to get the next one. Until the renderer has loaded, a
 * placeholder: never the page's raw markdown, which would reflow (and jump) a moment later.
 */
import chalk from "chalk";
import type { Page } from "../course/pages.js";
import { appendRendered, type Block, type RenderMarkdown } from "../terminal/markdown.js";

export interface DocContent {
  lines: string[];
  /** The code blocks and tables, drawn to their own width. */
  blocks: Block[];
  /** The line each revealed hint starts at, to scroll to it. */
  hintStarts: number[];
  /** The renderer is still loading: the lines are a placeholder. */
  loading?: boolean;
}

export const LOADING_PAGE = "Opening the page…";

export function docLines(page: Page | undefined, doc: string, hintsSeen: number, render: RenderMarkdown | undefined, width: number): DocContent {
  if (!page) return { lines: [chalk.dim(`This step's page, ${doc}, is not written yet.`)], blocks: [], hintStarts: [] };
  if (!render) return { lines: [chalk.dim(LOADING_PAGE)], blocks: [], hintStarts: [], loading: true };
  const content = { ...render(page.body, width), hintStarts: [] as number[] };
  const { lines } = content;
  const shown = Math.min(hintsSeen, page.hints.length);
  for (let i = 0; i < shown; i++) {
    lines.push("");
    content.hintStarts.push(lines.length);
    lines.push(chalk.bold.yellow(`Hint ${i + 1} of ${page.hints.length}`), "");
    appendRendered(content, render(page.hints[i] ?? "", width));
  }
  if (page.hints.length > 0) {
    lines.push("");
    lines.push(
      chalk.dim(shown < page.hints.length ? `Stuck? Press h for hint ${shown + 1} of ${page.hints.length}.` : "That was the last hint. Press s to see the solution."),
    );
  }
  return content;
}
