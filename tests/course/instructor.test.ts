// docs/instructor.md: its plans fit their session to the minute, follow the course's order, name
// steps that exist, and its commands and links are real.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { USAGE } from "../../app/cli/workshop.js";
import { STEPS } from "../../app/course/steps.js";

const PAGE = "docs/instructor.md";
const text = readFileSync(join(REPO, PAGE), "utf8");

interface Row {
  start: number;
  minutes: number;
  part: string;
}

/** The rows of the table under `heading`. */
function plan(heading: string): Row[] {
  const section = text.slice(text.indexOf(`## ${heading}`));
  const table = section.slice(section.indexOf("\n|"), section.indexOf("\n\n", section.indexOf("\n|")));
  return table
    .split("\n")
    .filter((line) => /^\| \d+:\d\d /.test(line))
    .map((line) => {
      const [time, minutes, part] = line.split("|").slice(1).map((cell) => cell.trim());
      const [h, m] = time!.split(":").map(Number);
      return { start: h! * 60 + m!, minutes: Number(minutes), part: part! };
    });
}

/** The step a row is about: "Step 3: …" or "Bonus: <title>". */
function stepOf(part: string) {
  const core = /^Step (\d+):/.exec(part);
  if (core) return STEPS.find((s) => s.id === core[1]);
  const bonus = /^Bonus: (.+)$/.exec(part);
  return bonus ? STEPS.find((s) => s.bonus && s.title === bonus[1]) : undefined;
}

describe.each([
  ["The 3-hour plan", 180],
  ["The 4-hour plan", 240],
])("%s", (heading, length) => {
  const rows = plan(heading);

  it(`fills ${length} minutes, each row starting where the one before ends`, () => {
    expect(rows.length).toBeGreaterThan(5);
    rows.forEach((row, i) => expect(row.start, row.part).toBe(i === 0 ? 0 : rows[i - 1]!.start + rows[i - 1]!.minutes));
    expect(rows.reduce((sum, row) => sum + row.minutes, 0)).toBe(length);
  });

  it("has every core step, in the course's order, and names only steps that exist", () => {
    const named = rows.filter((row) => /^(Step|Bonus)\b/.test(row.part));
    for (const row of named) expect(stepOf(row.part), `"${row.part}" is no step of the course`).toBeDefined();
    const core = named.map((row) => stepOf(row.part)!).filter((s) => !s.bonus).map((s) => s.id);
    expect(core).toEqual(STEPS.filter((s) => !s.bonus).map((s) => s.id));
    // A bonus step comes after every step it stands on.
    const order = named.map((row) => stepOf(row.part)!.id);
    for (const step of named.map((row) => stepOf(row.part)!)) {
      for (const required of step.requires) expect(order.indexOf(required), `${step.id} before ${required}`).toBeLessThan(order.indexOf(step.id));
    }
  });
});

describe(PAGE, () => {
  it("uses only workshop commands and options that exist", () => {
    const commands = [...text.matchAll(/npx workshop ([\w-]+)/g)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) expect(USAGE, command).toMatch(new RegExp(`(^|[\\s[])${command}\\b`, "m"));
  });

  it("links to files that exist", () => {
    for (const [, link] of text.matchAll(/\]\(([^)\s#]+)/g)) if (!link!.startsWith("http")) expect(existsSync(join(REPO, dirname(PAGE), link!)), link).toBe(true);
  });
});
