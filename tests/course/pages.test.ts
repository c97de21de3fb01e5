import { describe, expect, it } from "vitest";
import { splitPage } from "../../app/course/pages.js";

describe("course pages", () => {
  it("splits a page into its body and its hints, in order", () => {
    const page = splitPage("# Step\n\nText.\n\n## Hints\n\n### Hint 1\nThink.\n\n### Hint 2\nCall `mount`.\n\n### Hint 3\nNearly:\n```ts\nmount(...)\n```\n");
    expect(page.body).toBe("# Step\n\nText.");
    expect(page.hints).toEqual(["Think.", "Call `mount`.", "Nearly:\n```ts\nmount(...)\n```"]);
  });

  it("treats a page without a hints section as all body", () => {
    expect(splitPage("# Intro\n\n## Hintsy\n")).toEqual({ body: "# Intro\n\n## Hintsy\n", hints: [] });
  });
});
