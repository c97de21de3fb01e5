// The `workshop` command line: checks streamed or as JSON with the exit status that says whether
// all passed, and the course commands (hint, solution, reset) on a copy of the course.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksOf, ensureCheckImage } from "../../app/checks/index.js";
import { REPO } from "../../app/build/repo.mjs";
import { main } from "../../app/cli/workshop.js";
import { STEPS } from "../../app/course/steps.js";
import { collect } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";
import { pristineExercises } from "../helpers/implementations.js";
import { tempRoot } from "./support.js";

const store = tempRoot("cli");
const course = tempRoot("course");
beforeAll(async () => {
  if (process.getuid?.() === 0) await ensureCheckImage(store.root);
});
afterAll(() => {
  store.remove();
  course.remove();
});

const workshop = (...args: string[]) =>
  collect(spawn(process.execPath, [join(REPO, "bin/workshop"), ...args], { env: { PATH: process.env.PATH, NO_COLOR: "1" } }), { timeout: 60_000 });

describe("workshop check", () => {
  it("passes every check of every step against solutions/, and says so as one JSON object", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    const result = await workshop("check", "all", "--impl", "solutions", "--root", store.root, "--json");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { impl: string; passed: boolean; steps: { id: string; title: string; checks: Record<string, unknown>[] }[] };
    expect(report).toMatchObject({ impl: "solutions", passed: true });
    expect(report.steps.map((s) => [s.id, s.title])).toEqual(STEPS.map((s) => [s.id, s.title]));
    for (const step of report.steps) {
      expect(step.checks.map((c) => c.id)).toEqual(checksOf(step.id).map((c) => c.id));
      for (const check of step.checks) {
        expect(Object.keys(check)).toEqual(["id", "title", "status", "message", "durationMs"]);
        expect(check).toMatchObject({ status: "pass", title: expect.any(String), durationMs: expect.any(Number) });
      }
    }
  });

  it("shows the implementation's type errors after its checks, which ran anyway, and exits 1", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    const impl = pristineExercises(store.root);
    const file = join(impl, "process.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('  return todo("spawnInit");', '  const oops: number = "x";\n  void oops;\n  return todo("spawnInit");'));
    const result = await workshop("check", "1", "--impl", impl, "--root", store.root);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("  0 of 6 passed: 6 not started");
    expect(result.stdout.slice(result.stdout.indexOf("\n1 type error"))).toBe(`\n1 type error (the checks above ran anyway):\n  ${file}:15:9 Type 'string' is not assignable to type 'number'.\n`);
  });

  it("reports every step of the pristine exercises as not started, and exits 1", { timeout: 60_000 }, async (ctx) => {
    requireRoot(ctx);
    // The exercises as shipped, as a directory: the learner's own and their progress file are left alone.
    const result = await workshop("check", "all", "--impl", pristineExercises(store.root), "--root", store.root);
    expect(result.status).toBe(1);
    const lines = result.stdout.split("\n");
    const total = STEPS.reduce((n, s) => n + checksOf(s.id).length, 0);
    expect(lines.filter((l) => /^ {2}○ .* not started \(\d+(\.\d)? m?s\)$/.test(l))).toHaveLength(total);
    expect(lines.filter((l) => /^ {2}[✓✗!] /.test(l))).toEqual([]);
    expect(lines).toContain("Step 1 · Process creation");
    expect(lines).toContain("      step 1 is not done yet: spawnInit() is still a TODO");
    expect(lines.at(-2)).toBe(`0 of ${total} passed: ${total} not started`);
  });

  it("streams a step's results with their messages under failures", async (ctx) => {
    requireRoot(ctx);
    const result = await workshop("check", "2", "--impl", "solutions", "--root", store.root);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\nStep 2 · PID and UTS namespaces\n( {2}✓ .* \(\d+(\.\d)? m?s\)\n){5} {2}5 of 5 passed \(\d+(\.\d)? m?s\)\n$/);
  });

  it.each([
    [["check", "9"], 'workshop: there is no step "9"\n  the steps are 1, 2, 3, 4, 5, 6, pivot-root, overlay, privileges, image-config, init, ports\n'],
    [["check", "1", "--frob"], "workshop: unknown option --frob for `workshop check`\n  see `workshop check --help`\n"],
    [["frob"], 'workshop: unknown command "frob"\n  see `workshop --help`\n'],
  ])("says what is wrong with `workshop %j` in one line, and exits 2", async (args, stderr) => {
    const result = await workshop(...args);
    expect(result).toMatchObject({ status: 2, stderr, stdout: "" });
  });

  it("documents its commands and exit statuses in --help, and with no command says where you stand", async () => {
    const help = await workshop("--help");
    expect(help.stdout).toContain("check [STEP|all] [--impl exercises|solutions|DIR] [--root DIR] [--json]");
    expect(help.stdout).toMatch(/Exit status: 0 success .* 1 a check did not pass; 2 wrong usage;\n125 .*; 130 interrupted\./s);
    // No terminal here: the app prints where the learner stands instead of drawing.
    const status = await workshop();
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^container-workshop: \d+ of 6 steps done\n/);
    expect(status.stdout).toContain("\n  npx workshop check "); // as root: no sudo
  });
});

/** These commands never open the app. */
const noApp = () => Promise.reject(new Error("the app was opened"));

/** The course commands work on a copy of the course: the repository's own files stay as they are. */
describe("workshop hint, solution and reset", () => {
  const repo = course.root;
  const run = async (...args: string[]) => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (d: Buffer) => (text += d.toString()));
    const status = await main(args, noApp, { repo, out });
    return { status, text };
  };

  beforeAll(() => {
    for (const dir of ["docs", "solutions"]) cpSync(join(REPO, dir), join(repo, dir), { recursive: true });
    cpSync(pristineExercises(repo), join(repo, "exercises"), { recursive: true });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore" });
    git("init", "-q");
    git("add", "exercises");
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "course");
  });

  it("hint shows the next hint not yet seen, or the one asked for, and remembers", async () => {
    const first = await run("hint", "2");
    expect(first.text).toMatch(/^Hint 1 of 3 for step 2 \(PID and UTS namespaces\)\n\n/);
    expect(first.text).toContain("Still stuck? workshop hint 2\n");
    // Rendered for a reader, not Markdown: no ** or backticks, list items wrapped to the width, no styles in a pipe.
    expect(first.text).toContain("  * namespaceFlags: flags are bits; | combines them.");
    expect(first.text).not.toMatch(/\*\*|`|\u001b/);
    for (const line of first.text.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect((await run("hint", "2")).text).toMatch(/^Hint 2 of 3/);
    expect((await run("hint", "2", "3")).text).toMatch(/^Hint 3 of 3[\s\S]*That was the last hint\. The reference code: workshop solution 2\n$/);
    expect(JSON.parse(readFileSync(join(repo, ".workshop/progress.json"), "utf8")).hintsSeen).toEqual({ "2": 3 });
    expect(await run("hint", "2", "4")).toMatchObject({ status: 2 });
  });

  it("solution prints the reference module of the step, and --diff how exercises/ differs", async () => {
    const code = await run("solution", "5");
    expect(code.status).toBe(0);
    expect(code.text).toMatch(/^\/\/ solutions\/volumes\.ts: mountVolumes\n\n/);
    expect(code.text).toContain('import { makeReadOnlyRecursive, mount, MS_BIND, MS_PRIVATE, MS_REC } from "#native";');
    expect(code.text).toContain("export function mountVolumes(rootfs: string, volumes: Volume[]): void {");
    const diff = await run("solution", "5", "--diff");
    expect(diff.text).toMatch(/^--- exercises\/volumes\.ts\n\+\+\+ solutions\/volumes\.ts\n/);
    expect(diff.text).toContain('-  todo("mountVolumes");');
  });

  it("reset puts the step's module back as it is in git, keeping the learner's version", async () => {
    const file = join(repo, "exercises/volumes.ts");
    const pristine = readFileSync(file, "utf8");
    writeFileSync(file, "// my work in progress\n");
    const reset = await run("reset", "5");
    expect(reset.status).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(pristine);
    const [backup, ...more] = readdirSync(join(repo, ".workshop/backup"));
    expect(more).toEqual([]);
    expect(readFileSync(join(repo, ".workshop/backup", backup!), "utf8")).toBe("// my work in progress\n");
    expect(reset.text).toBe(`exercises/volumes.ts is back as it was; your version is in .workshop/backup/${backup}\n`);
    expect((await run("reset", "5")).text).toBe("exercises/volumes.ts is already as it was.\n");
  });
});
