// Reading a page in the app: code and tables never wrapped (sideways instead), URLs whole, prose
// no wider than 100 columns, room to read at 80×24, zoom, search, copying a code block, no raw
// markdown on the first frame, and each page's place kept for next time.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadProgress } from "../../app/course/progress.js";
import { STEPS } from "../../app/course/steps.js";
import { osc52 } from "../../app/terminal/clipboard.js";
import { hyperlink, supportsHyperlinks } from "../../app/terminal/hyperlinks.js";
import { loadMarkdown, type RenderMarkdown } from "../../app/terminal/markdown.js";
import { Course, KEY, renderApp } from "./support.js";

const RIGHT = "\u001b[C";
// A match in reverse video, the chosen one bold as well.
const MATCH = ["\u001b[7m", "\u001b[27m"];
const CURRENT = ["\u001b[1m\u001b[7m", "\u001b[27m\u001b[22m"];
const marked = ([on, off]: string[], text: string) => `${on}${text}${off}`;
const LEFT = "\u001b[D";
const step1 = STEPS[0]!;
const step2 = STEPS[1]!;

const CODE = ["const short = 1;", `const wide = "CODE-START${"x".repeat(90)}CODE-END";`, "console.log(wide);"];
const URL = `https://example.com/${"segment/".repeat(12)}URL-END`;
const PAGE = `# Process creation

The page of step 1.

\`\`\`ts
${CODE.join("\n")}
\`\`\`

| column | what it holds |
| --- | --- |
| a | TABLE-START ${"y".repeat(90)} TABLE-END |

\`\`\`diff
-${"removed ".repeat(12)}REMOVED-END
+${"added ".repeat(14)}ADDED-END
\`\`\`

Read [the manual](${URL}) first.

${Array.from({ length: 60 }, (_, i) => `Paragraph ${String(i + 1).padStart(2, "0")}: ${"words to read on. ".repeat(8)}`).join("\n\n")}
`;

let course: Course;
beforeEach(() => {
  course = new Course();
  writeFileSync(join(course.repo, step1.doc), PAGE);
  course.startAt("1");
});
afterEach(() => course.remove());

/** The big pane's rows, inside its borders (the pane whose top border holds `title`). */
function paneRows(screen: string, title = "Step 1 · Process creation"): string[] {
  const lines = screen.split("\n");
  const top = lines.findIndex((line) => line.includes(`─ ${title}`));
  expect(top, `no pane "${title}" in:\n${screen}`).toBeGreaterThanOrEqual(0);
  const topLine = lines[top] as string;
  // The corner before the title, and the one that closes the border.
  const left = topLine.indexOf(`─ ${title}`) - 1;
  const right = Math.max(topLine.indexOf("╮", left), topLine.indexOf("┓", left));
  const rows: string[] = [];
  for (const line of lines.slice(top + 1)) {
    if (/^[╰┗]/.test(line.slice(left))) break;
    rows.push(line.slice(left + 2, right - 1));
  }
  return rows;
}

/** Opens step 1's page with the focus on it, at the given size. */
async function reading(columns = 80, rows = 24, options: Partial<Parameters<typeof renderApp>[0]> = {}) {
  const app = await renderApp({ course, columns, rows, ...options });
  await app.shows("The page of step 1.");
  await app.press(KEY.tab);
  return app;
}

describe("code blocks, tables and URLs", () => {
  it("draws code blocks, diffs and tables unwrapped, cut at the pane's edge with ›, and scrolls them sideways with ← →; prose stays put", async () => {
    const app = await reading();
    const rows = paneRows(app.screen());
    const codeRow = rows.find((r) => r.includes("CODE-START")) ?? "";
    // One row, cut and marked, its end not folded onto the next row.
    expect(codeRow.trimEnd()).toMatch(/›$/);
    expect(app.screen()).not.toContain("CODE-END");
    expect(rows.some((r) => /^\s*x+"?;?\s*$/.test(r))).toBe(false);
    expect(rows.find((r) => r.includes("TABLE-START"))?.trimEnd()).toMatch(/›$/);
    expect(app.screen()).not.toMatch(/TABLE-START y+…/);
    // Each diff line keeps its marker: none is folded onto a row of its own.
    const diff = rows.filter((r) => r.includes("removed") || r.includes("added"));
    expect(diff.map((r) => r.trim()[0])).toEqual(["-", "+"]);
    expect(app.screen()).toContain("← →");

    await app.press(...Array.from({ length: 12 }, () => RIGHT));
    await app.shows("CODE-END");
    const shifted = paneRows(app.screen());
    expect(shifted.find((r) => r.includes("CODE-END"))).toMatch(/^‹x+CODE-END";/);
    expect(shifted.some((r) => r.includes("REMOVED-END"))).toBe(true);
    expect(shifted.some((r) => r.includes("TABLE-END"))).toBe(true);
    // Prose does not move.
    expect(shifted).toContain("The page of step 1.".padEnd(76));
    await app.press(...Array.from({ length: 20 }, () => LEFT));
    await app.shows("CODE-START");
    app.unmount();
  });

  it("keeps every line of the diff with the solution whole, its -/+ first, the rest sideways", async () => {
    const app = await renderApp({ course, columns: 80, rows: 30 });
    await app.shows("The page of step 1.");
    await app.press("s", "y");
    await app.shows("Solution · step 1");
    await app.press("d", KEY.tab);
    const title = "Your code → the solution · process.ts";
    await app.shows(title);
    await app.shows("+++ ");
    for (const keys of [[], ["G"]]) {
      await app.press(...keys);
      const rows = paneRows(app.screen(), title);
      // A wrapped line would go on in a row of its own, without a marker.
      for (const row of rows) expect(row).toMatch(/^([-+@ ]|$)/);
      expect(rows.some((r) => r.trimEnd().endsWith("›"))).toBe(true);
    }
    app.unmount();
  });

  it("keeps a URL whole on a row of its own, however long, and shows the rest sideways", async () => {
    const app = await reading();
    await app.press(...Array.from({ length: 8 }, () => KEY.down));
    await app.shows("Paragraph 01");
    const rows = paneRows(app.screen());
    const at = rows.findIndex((r) => r.includes("https://example.com/"));
    expect(rows[at]?.trim()).toMatch(/^\(https:\/\/example\.com\/segment\/.*›$/);
    // Not split: the row after it is the sentence's end, not the address's.
    expect(rows[at + 1]?.trim()).toBe("first.");
    expect(app.screen()).not.toContain("URL-END");
    await app.press(...Array.from({ length: 8 }, () => RIGHT));
    await app.shows("URL-END)");
    app.unmount();
  });

  it("makes links OSC 8 hyperlinks where the terminal draws them: the text is the link, the address not shown", async () => {
    const app = await reading(80, 24, { services: { loadMarkdown: () => loadMarkdown({ hyperlinks: true }) } });
    await app.press(...Array.from({ length: 8 }, () => KEY.down));
    await app.shows("the manual first.");
    expect(app.lastFrame()).toContain(`\u001b]8;;${URL}\u0007`);
    expect(app.screen()).not.toContain("https://example.com");
    app.unmount();
  });
});

describe("room to read", () => {
  it("wraps a page's prose at 100 columns on a 200-column terminal, and shows its code wider", async () => {
    const app = await reading(200, 50);
    const rows = paneRows(app.screen());
    const prose = rows.filter((r) => r.includes("words to read on."));
    expect(prose.length).toBeGreaterThan(5);
    for (const row of prose) expect(row.trimEnd().length).toBeLessThanOrEqual(100);
    expect(Math.max(...prose.map((r) => r.trimEnd().length))).toBeGreaterThan(90);
    // The code block is not held to the prose's width: 130 columns of it show.
    expect(rows.find((r) => r.includes("CODE-START"))?.trimEnd().length).toBeGreaterThan(120);
    app.unmount();
  });

  it("gives the page 18 rows of an 80×24 terminal while it is read: the checks shrink to their status line", async () => {
    const app = await renderApp({ course, columns: 80, rows: 24 });
    await app.shows("The page of step 1.");
    expect(paneRows(app.screen()).length).toBeLessThan(18);
    await app.press(KEY.tab);
    await vi.waitFor(() => expect(paneRows(app.screen())).toHaveLength(18));
    const checksLine = app.screen().split("\n").at(-2) ?? "";
    expect(checksLine).toMatch(/^╶─ Checks: .*Checking your code.*\+2 · tab ─╴$/);
    // Back on the list, the checks have their pane again.
    await app.press(KEY.shiftTab);
    await app.checksShow("first check of step 1");
    app.unmount();
  });
});

describe("zoom", () => {
  it("gives the focused pane the whole screen on z, and gives it back on z (or esc)", async () => {
    const app = await reading();
    await app.press("z");
    await vi.waitFor(() => expect(app.screen().split("\n")[0]).toMatch(/^╭─ Step 1 · Process creation/));
    expect(app.screen()).not.toContain("steps done");
    expect(app.screen()).not.toContain("Checks");
    expect(paneRows(app.screen())).toHaveLength(20);
    expect(app.screen().split("\n").at(-1)).toContain("z unzoom");
    await app.press("z");
    await app.shows("steps done");
    // The checks pane, zoomed from its own focus; esc gives the screen back too.
    await app.press(KEY.tab, "z");
    await vi.waitFor(() => expect(app.screen().split("\n")[0]).toMatch(/^┏━ Checks|^╭─ Checks/));
    expect(app.screen()).not.toContain("The page of step 1.");
    await app.press(KEY.escape);
    await app.shows("The page of step 1.");
    expect(app.screen()).toContain("steps done");
    app.unmount();
  });
});

describe("search", () => {
  it("finds text in the page on /, highlights the matches, goes to the next and previous with n N, and ends on esc", async () => {
    const app = await reading();
    await app.press("/", ..."paragraph 4");
    // Typed, not yet kept: the count, the page already at the first match.
    await app.shows("/paragraph 4▏ 10 matches");
    expect(app.screen()).toContain("Paragraph 40:");
    expect(app.lastFrame()).toContain(`${marked(CURRENT, "Paragraph 4")}0:`);
    expect(app.lastFrame()).toContain(`${marked(MATCH, "Paragraph 4")}1:`);
    await app.press(KEY.enter);
    await app.shows("match 1 of 10 · n N next/previous");
    await app.press("N");
    await app.shows("match 10 of 10");
    expect(app.screen()).toContain("Paragraph 49:");
    await app.press("n", "n");
    await app.shows("match 2 of 10");
    expect(app.lastFrame()).toContain(`${marked(CURRENT, "Paragraph 4")}1:`);
    expect(app.lastFrame()).toContain(`${marked(MATCH, "Paragraph 4")}0:`);
    // Esc ends it: no highlight, and n is the next step again.
    await app.press(KEY.escape);
    await vi.waitFor(() => expect(app.lastFrame()).not.toContain("\u001b[7m"));
    await app.press("n");
    await app.shows("The page of step 2.");
    app.unmount();
  });

  it("says when the text is not on the page, and esc while typing cancels, the page back where it was", async () => {
    const app = await reading();
    await app.press("/", ..."no such words", KEY.enter);
    await app.shows("Not found: no such words");
    // Typing moves the page to the first match; esc puts it back.
    await app.press("/", ..."paragraph 30");
    await app.shows("Paragraph 30:");
    expect(app.screen()).not.toContain("The page of step 1.");
    await app.press(KEY.escape);
    await app.shows("The page of step 1.");
    expect(app.screen()).not.toContain("/paragraph");
    expect(app.screen().split("\n").at(-1)).toContain("q quit");
    app.unmount();
  });
});

describe("copying", () => {
  it("copies the first code block on screen with c, or the one the search is at, as written, and says so", async () => {
    const copied: string[] = [];
    const app = await reading(80, 24, { services: { clipboard: (text: string) => copied.push(text) } });
    await app.press("c");
    await app.shows("Copied the code block (3 lines) to your terminal's clipboard (OSC 52).");
    expect(copied).toEqual([CODE.join("\n")]);
    // The block the search is at, when it is at one.
    await app.press("/", ..."REMOVED-END", KEY.enter, "c");
    await app.shows("Copied the code block (2 lines)");
    expect(copied[1]).toBe(`-${"removed ".repeat(12)}REMOVED-END\n+${"added ".repeat(14)}ADDED-END`);
    await app.press(KEY.escape);
    // Far below, no code block is in view.
    await app.press("G", "c");
    await app.shows("No code block on screen: scroll to one, then press c.");
    expect(copied).toHaveLength(2);
    app.unmount();
  });
});

describe("the first frame", () => {
  it("shows a placeholder until the page is rendered, never the raw markdown", async () => {
    let loaded!: (render: RenderMarkdown) => void;
    const late = new Promise<RenderMarkdown>((resolve) => (loaded = resolve));
    const app = await renderApp({ course, services: { loadMarkdown: () => late } });
    await app.shows("Opening the page…");
    loaded(await loadMarkdown());
    await app.shows("The page of step 1.");
    for (const frame of app.frames) {
      expect(frame).not.toContain("# Process creation");
      expect(frame).not.toContain("```");
    }
    app.unmount();
  });
});

describe("each page's place", () => {
  it("is kept in the progress when the app quits, and the page opens there next time", async () => {
    const first = await reading();
    await first.press(...Array.from({ length: 40 }, () => KEY.down));
    const shown = paneRows(first.screen());
    expect(shown.join("\n")).toMatch(/Paragraph 1\d/);
    await first.press("q");
    await vi.waitFor(() => expect(loadProgress(course.progressFile).scroll?.["1"]).toMatchObject({ row: 40 }));
    first.unmount();

    const again = await renderApp({ course, columns: 80, rows: 24 });
    // The same rows from the top (fewer of them: the list has the focus, the checks their pane).
    await vi.waitFor(() => expect(paneRows(again.screen())).toEqual(shown.slice(0, 14)));
    again.unmount();
  });

  it("is kept for each page while moving between them", async () => {
    const app = await reading();
    await app.press(...Array.from({ length: 30 }, () => KEY.down));
    const shown = paneRows(app.screen());
    await app.press("n");
    await app.shows("The page of step 2.");
    await app.press(KEY.up, KEY.enter);
    await vi.waitFor(() => expect(paneRows(app.screen())).toEqual(shown.slice(0, 14)));
    expect(loadProgress(course.progressFile).scroll?.["1"]).toMatchObject({ row: 30 });
    expect(step2.id).toBe("2");
    app.unmount();
  });
});

describe("what the terminal is told", () => {
  it("sends hyperlinks only to a terminal known to draw them, never without colour or inside tmux", () => {
    const vte = { TERM: "xterm-256color", VTE_VERSION: "7006" };
    expect(supportsHyperlinks(vte, true)).toBe(true);
    expect(supportsHyperlinks({ TERM: "xterm-kitty" }, true)).toBe(true);
    expect(supportsHyperlinks({ TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "3.5.0" }, true)).toBe(true);
    expect(supportsHyperlinks(vte, false)).toBe(false);
    expect(supportsHyperlinks({ ...vte, NO_COLOR: "1" }, true)).toBe(false);
    expect(supportsHyperlinks({ ...vte, TERM: "dumb" }, true)).toBe(false);
    expect(supportsHyperlinks({ ...vte, TMUX: "/tmp/tmux-0/default,1,0", TERM: "tmux-256color" }, true)).toBe(false);
    expect(supportsHyperlinks({ TERM: "xterm-256color" }, true)).toBe(false);
    expect(supportsHyperlinks({ TERM: "dumb", FORCE_HYPERLINK: "1" }, false)).toBe(true);
    expect(supportsHyperlinks({ ...vte, FORCE_HYPERLINK: "0" }, true)).toBe(false);
  });

  it("writes a hyperlink whose address any character may be in, and which counts as its text alone", () => {
    const link = hyperlink("https://example.com/a_(b)+c,d", "the text");
    expect(link).toBe("\u001b]8;;https://example.com/a_%28b%29%2Bc%2Cd\u0007the text\u001b]8;;\u0007");
    expect(stripVTControlCharacters(`see ${link} here`)).toBe("see the text here");
  });

  it("copies with OSC 52: the text in base64, for the system clipboard", () => {
    expect(osc52("ls -l /proc/self/ns")).toBe(`\u001b]52;c;${Buffer.from("ls -l /proc/self/ns").toString("base64")}\u0007`);
  });
});

describe("the key help", () => {
  it("lists the keys for reading: sideways, zoom, search, copy", async () => {
    const app = await renderApp({ course, columns: 120, rows: 40 });
    await app.press("?");
    await app.shows("reveal the next hint");
    for (const does of ["scroll code blocks and tables sideways", "zoom: the focused pane takes the whole screen", "search the page", "copy the first code block on screen"]) {
      expect(app.screen()).toContain(does);
    }
    app.unmount();
  });
});

vi.setConfig({ testTimeout: 20_000 });
