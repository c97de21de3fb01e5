// The course's pages: every page the course lists exists, each step page's tasks are the
// functions its exercise modules leave as TODOs, its hints are in its hints file (not on the page,
// where a reader would come across them), neither gives a solution away whole, and relative links
// lead to files that exist.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { hintsFile, readPage } from "../../app/course/pages.js";
import { INTRODUCTION, moduleFile, OUTRO, STEPS } from "../../app/course/steps.js";
import { pristineExercises } from "../helpers/implementations.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), "utf8");

const PAGES = [INTRODUCTION, ...new Set(STEPS.map((s) => s.doc)), OUTRO];
const HINT_FILES = PAGES.map(hintsFile).filter((file) => existsSync(join(REPO, file)));

/** The sections every step page has, in this order; the one saying where the hints are is the last. */
const SECTIONS = ["Try it in your shell", "Tasks", "Check your work", "Pitfalls", "How the real ones do it", "Read more", "Hints"];

interface Block {
  lang: string;
  lines: string[];
}

/** A page split into its headings (outside code) and its fenced code blocks. */
function parse(markdown: string): { headings: { level: number; text: string; line: number }[]; blocks: Block[]; prose: string } {
  const headings: { level: number; text: string; line: number }[] = [];
  const blocks: Block[] = [];
  const prose: string[] = [];
  let block: Block | undefined;
  markdown.split("\n").forEach((line, index) => {
    const fence = /^\s*(```|~~~)\s*(\S*)/.exec(line);
    if (fence) {
      if (block) {
        blocks.push(block);
        block = undefined;
      } else {
        block = { lang: fence[2] ?? "", lines: [] };
      }
      return;
    }
    if (block) {
      block.lines.push(line);
      return;
    }
    prose.push(line);
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(line);
    if (heading) headings.push({ level: heading[1]!.length, text: heading[2]!, line: index });
  });
  expect(block, "a code block is never closed").toBeUndefined();
  return { headings, blocks, prose: prose.join("\n") };
}

interface Todo {
  module: string;
  func: string;
}

// The exercises as shipped (from git), whatever the learner has written in exercises/ since.
const work = mkdtempSync(join(tmpdir(), "docs-test-"));
const pristine = pristineExercises(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every `todo("name")` in exercises/, with the module it is in. */
function exerciseTodos(): Todo[] {
  const todos: Todo[] = [];
  for (const module of readdirSync(pristine).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(pristine, module), "utf8");
    const calls = [...text.matchAll(/\btodo\(\s*"([^"]+)"\s*\)/g)];
    // A call this parser misses (another quoting style, say) would silently go unchecked.
    expect(calls.length, `todo() calls in exercises/${module} that this test cannot parse`).toBe(text.match(/\btodo\(/g)?.length ?? 0);
    for (const [, func] of calls) todos.push({ module, func: func! });
  }
  return todos;
}

function exportedFunctions(module: string): string[] {
  const path = join(pristine, module);
  return existsSync(path) ? [...readFileSync(path, "utf8").matchAll(/^export function (\w+)/gm)].map((m) => m[1]!) : [];
}

const todos = exerciseTodos();
const stepPages = [...new Set(STEPS.map((s) => s.doc))];

describe("the course's pages", () => {
  it.each(PAGES)("%s exists", (page) => {
    expect(existsSync(join(REPO, page))).toBe(true);
  });

  it("have hints files for the step pages only: the app would show hints on any page that had one", () => {
    expect(readdirSync(join(REPO, "docs/hints")).map((f) => `docs/hints/${f}`).sort()).toEqual(stepPages.map(hintsFile).sort());
  });

  it("leave as TODOs in exercises/ exactly the functions of each step, each in its step's module", () => {
    expect(todos.map((t) => `${t.module}: ${t.func}`).sort()).toEqual(STEPS.flatMap((s) => s.functions.map((f) => `${moduleFile(s)}: ${f}`)).sort());
  });
});

describe.each(stepPages)("%s", (page) => {
  const text = read(page);
  const { headings, blocks } = parse(text);
  const hintsText = read(hintsFile(page));
  const hintsParsed = parse(hintsText);
  const steps = STEPS.filter((s) => s.doc === page);
  const modules = steps.map(moduleFile);

  it("has a task for each function of its exercise module, and nothing else", () => {
    const tasks = headings.filter((h) => h.level === 3 && h.text.startsWith("Task"));
    // Each task is a function of this step's module, numbered 1, 2, 3...
    const exported = modules.flatMap(exportedFunctions);
    tasks.forEach((task, i) => {
      const match = /^Task (\d+): (\w+)$/.exec(task.text);
      expect(match, `malformed task heading "${task.text}"`).not.toBeNull();
      expect(Number(match![1])).toBe(i + 1);
      expect(exported, `${task.text}: no such function in exercises/${modules.join(", ")}`).toContain(match![2]);
    });
    expect(tasks.length).toBeGreaterThan(0);
  });

  it("numbers its tasks in the order of the step's functions, which the checks cite as \"Task N\"", () => {
    const tasks = headings.filter((h) => h.level === 3 && h.text.startsWith("Task")).map((h) => h.text);
    expect(tasks).toEqual(steps.flatMap((s) => s.functions).map((f, i) => `Task ${i + 1}: ${f}`));
  });

  it("has the sections of a step page in order, the last saying how to get the hints, and no hint itself", () => {
    const sections = headings.filter((h) => h.level === 2).map((h) => h.text);
    expect(sections.filter((s) => SECTIONS.includes(s))).toEqual(SECTIONS);
    expect(sections.at(-1)).toBe("Hints");
    const start = headings.findIndex((h) => h.level === 2 && h.text === "Hints");
    expect(headings.slice(start + 1), "the hints are in their own file").toEqual([]);
    for (const step of steps) expect(text.slice(text.indexOf("\n## Hints")), `"npx workshop hint ${step.id}" on ${page}`).toContain(`\`npx workshop hint ${step.id}\``);
  });

  it(`keeps exactly Hint 1, 2 and 3 in ${hintsFile(page)}, under a title, each saying something`, () => {
    expect(hintsParsed.headings.map((h) => `${"#".repeat(h.level)} ${h.text}`)).toEqual([expect.stringMatching(/^# Hints for /), "## Hint 1", "## Hint 2", "## Hint 3"]);
    // As the app and `workshop hint` read them.
    const { hints } = readPage(REPO, page);
    expect(hints).toHaveLength(3);
    for (const hint of hints) expect(hint.length).toBeGreaterThan(40);
  });

  it("tells how to run its checks", () => {
    for (const step of steps) expect(text.includes(`npx workshop check ${step.id}\n`), `"npx workshop check ${step.id}" on ${page}`).toBe(true);
  });

  it("shows no function whole, nor do its hints: signatures without bodies, fragments only", () => {
    for (const block of [...blocks, ...hintsParsed.blocks].filter((b) => ["ts", "typescript", "js", "javascript"].includes(b.lang))) {
      for (const [i, line] of block.lines.entries()) {
        if (!/^\s*(export\s+)?(async\s+)?function\b/.test(line)) continue;
        expect(line, "a task's signature is shown without a body").not.toMatch(/^\s*export\b.*\{\s*$/);
        if (line.trim().endsWith("{")) expect(bodyLength(block.lines, i), `function body in:\n${block.lines.join("\n")}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it("copies no run of four lines from the reference solution, nor do its hints", () => {
    const solution = modules.flatMap((m) => significantLines(read(`solutions/${m}`)));
    const windows = new Set(solution.map((_, i) => solution.slice(i, i + COPIED_RUN).join("\n")).filter((w) => w.split("\n").length === COPIED_RUN));
    for (const block of [...blocks, ...hintsParsed.blocks]) {
      const lines = significantLines(block.lines.join("\n"));
      for (let i = 0; i + COPIED_RUN <= lines.length; i++) {
        const window = lines.slice(i, i + COPIED_RUN).join("\n");
        expect(windows.has(window), `copied from solutions/:\n${window}`).toBe(false);
      }
    }
  });
});

describe.each([...PAGES, ...HINT_FILES])("links in %s", (page) => {
  it("lead to files that exist", () => {
    const { prose } = parse(read(page));
    // Inline code may show link-like text; it is not a link.
    const links = [...prose.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    const local = links.filter((l) => !/^(https?:|mailto:|#)/.test(l)).map((l) => l.split("#")[0]!);
    for (const link of local) expect(existsSync(join(REPO, dirname(page), link)), `${page} links to ${link}`).toBe(true);
    for (const link of links.filter((l) => l.startsWith("http"))) expect(link).toMatch(/^https:\/\//);
  });
});

const COPIED_RUN = 4;

/** Code lines that say something: trimmed, spaces collapsed, without imports, comments and lone brackets. */
function significantLines(code: string): string[] {
  return code
    .split("\n")
    .map((l) => l.trim().replace(/\s+/g, " "))
    .filter((l) => l.length >= 12 && !l.startsWith("//") && !l.startsWith("*") && !l.startsWith("/*") && !l.startsWith("import "));
}

/** Lines between a line ending in "{" and the line that closes it. */
function bodyLength(lines: string[], start: number): number {
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    for (const c of lines[i]!) {
      if (c === "{") depth++;
      if (c === "}") depth--;
    }
    if (depth <= 0 && i > start) return i - start - 1;
  }
  return lines.length - start - 1;
}
