/**
 * The course pages in docs/, and each step's hints. The hints live in a file of their own,
 * docs/hints/<the page's file name>, where nobody reading the page comes across them: a title, a
 * line saying what the file is, then "## Hint 1" to "## Hint 3" (a nudge, the calls, nearly the
 * code). The app reveals them under the page one at a time; `workshop hint` prints them.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const HINT_HEADING = /^## Hint \d+[ \t]*$/m;

export interface Page {
  /** The page as written. */
  body: string;
  /** Its hints, in order, each without its "## Hint N" heading; none for a page without a hints file. */
  hints: string[];
}

/** Where the hints of the page `doc` are: docs/01-process.md's in docs/hints/01-process.md. */
export function hintsFile(doc: string): string {
  return join(dirname(doc), "hints", basename(doc));
}

/** The hints of a hints file, in order; what comes before "## Hint 1" is for people opening the file. */
export function parseHints(markdown: string): string[] {
  return markdown
    .split(HINT_HEADING)
    .slice(1)
    .map((hint) => hint.trim());
}

export function readPage(repo: string, doc: string): Page {
  const body = readFileSync(join(repo, doc), "utf8").trimEnd();
  const hints = join(repo, hintsFile(doc));
  return { body, hints: existsSync(hints) ? parseHints(readFileSync(hints, "utf8")) : [] };
}
