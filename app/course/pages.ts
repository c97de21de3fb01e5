/**
 * The course pages in docs/: each step's page ends with "## Hints", holding "### Hint 1" to
 * "### Hint 3" (nudge, the calls, nearly the code). The app shows the page without them and
 * reveals them one at a time; `workshop hint` prints them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const HINTS_HEADING = /^## Hints[ \t]*$/m;

export interface Page {
  /** The page up to its hints section. */
  body: string;
  /** The hints, in order, each without its "### Hint N" heading. */
  hints: string[];
}

export function splitPage(markdown: string): Page {
  const match = HINTS_HEADING.exec(markdown);
  if (!match) return { body: markdown, hints: [] };
  const hints = markdown
    .slice(match.index + match[0].length)
    .split(/^### Hint \d+[ \t]*$/m)
    .slice(1)
    .map((hint) => hint.trim());
  return { body: markdown.slice(0, match.index).trimEnd(), hints };
}

export function readPage(repo: string, doc: string): Page {
  return splitPage(readFileSync(join(repo, doc), "utf8"));
}
