import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hintsFile, parseHints, readPage } from "../../app/course/pages.js";

describe("course pages", () => {
  const repos: string[] = [];
  afterEach(() => {
    for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true });
  });

  it("keeps a step's hints beside its page, in docs/hints/", () => {
    expect(hintsFile("docs/01-process.md")).toBe("docs/hints/01-process.md");
  });

  it("reads the hints in order, without their headings and what comes before the first", () => {
    const hints = parseHints("# Hints for step 9\n\nRead them one at a time.\n\n## Hint 1\nThink.\n\n## Hint 2\nCall `mount`.\n\n## Hint 3\nNearly:\n```ts\nmount(...)\n```\n");
    expect(hints).toEqual(["Think.", "Call `mount`.", "Nearly:\n```ts\nmount(...)\n```"]);
  });

  it("reads a page whole, with the hints of its hints file, or none when it has no such file", () => {
    const repo = mkdtempSync(join(tmpdir(), "workshop-pages-"));
    repos.push(repo);
    mkdirSync(join(repo, "docs/hints"), { recursive: true });
    writeFileSync(join(repo, "docs/01-step.md"), "# Step\n\nText.\n\n## Hints\n\nSee `workshop hint 1`.\n");
    writeFileSync(join(repo, "docs/hints/01-step.md"), "# Hints\n\n## Hint 1\nThink.\n");
    writeFileSync(join(repo, "docs/00-intro.md"), "# Intro\n");
    expect(readPage(repo, "docs/01-step.md")).toEqual({ body: "# Step\n\nText.\n\n## Hints\n\nSee `workshop hint 1`.", hints: ["Think."] });
    expect(readPage(repo, "docs/00-intro.md")).toEqual({ body: "# Intro", hints: [] });
  });
});
