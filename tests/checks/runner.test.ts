// The runner API the app builds on: the checks of each step, results streamed as they come,
// a trace of the runs, and a run that can be stopped half-way without leaving anything behind.
import { readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksOf, ensureCheckImage, implDirectory, runStep, type CheckInfo, type CheckResult } from "../../app/checks/index.js";
import { buildContainer } from "../../app/checks/prepare.js";
import { ProbeContext } from "../../app/checks/probe-context.js";
import { STEPS } from "../../app/course/steps.js";
import { UserError } from "../../app/errors.js";
import { requireRoot } from "../helpers/requirements.js";
import { leftoversOf, mountTable, tempRoot } from "./support.js";

const store = tempRoot("runner");
const mounts = mountTable();
beforeAll(async () => {
  if (process.getuid?.() === 0) await ensureCheckImage(store.root);
});
afterAll(() => store.remove());

describe("checksOf", () => {
  it.each(STEPS.map((s) => s.id))("lists 4 to 8 named checks for step %s, with ids of the step", (step) => {
    const checks = checksOf(step);
    expect(checks.length).toBeGreaterThanOrEqual(4);
    expect(checks.length).toBeLessThanOrEqual(8);
    for (const check of checks) expect(check.id).toMatch(new RegExp(`^${step}\\.[a-z0-9-]+$`));
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
  });

  it("refuses a step that does not exist, saying which do", () => {
    expect(() => checksOf("7")).toThrow(new UserError('there is no step "7"', `the steps are ${STEPS.map((s) => s.id).join(", ")}`));
  });
});

describe("runStep", () => {
  it("refuses an implementation directory that is not one", async () => {
    await expect(runStep("1", { impl: store.root, root: store.root })).rejects.toThrow(/is not an implementation directory \(missing process\.ts/);
  });

  it("announces each check, streams its result, and returns them all in the step's order, with a trace", async (ctx) => {
    requireRoot(ctx);
    const events: string[] = [];
    const traceFile = join(store.root, "trace.jsonl");
    const results = await runStep("2", {
      impl: "solutions",
      root: store.root,
      traceFile,
      onStart: (step: string, check: CheckInfo) => events.push(`start ${step} ${check.id}`),
      onResult: (result: CheckResult) => events.push(`result ${result.id}`),
    });
    expect(results.map((r) => r.id)).toEqual(checksOf("2").map((c) => c.id));
    for (const result of results) {
      expect(result).toMatchObject({ step: "2", status: "pass" });
      expect(result.durationMs).toBeGreaterThan(0);
      expect(events.indexOf(`start 2 ${result.id}`)).toBeLessThan(events.indexOf(`result ${result.id}`));
    }
    const calls = readFileSync(traceFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { call: string });
    expect(calls.map((c) => c.call)).toContain("sethostname");
    expect(leftoversOf(store.root, mounts)).toEqual([]);
  });

  it("stops when aborted: resolves with what finished, and leaves nothing behind", async (ctx) => {
    requireRoot(ctx);
    const controller = new AbortController();
    const started = Date.now();
    const results = await runStep("4", {
      impl: "solutions",
      root: store.root,
      signal: controller.signal,
      onStart: () => setTimeout(() => controller.abort(), 100),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(results.length).toBeLessThan(checksOf("4").length);
    expect(leftoversOf(store.root, mounts)).toEqual([]);
  });

  it("runs what a probe starts, down to the container's command, at the lower priority it is given (the app's keys come first)", async (ctx) => {
    requireRoot(ctx);
    const impl = implDirectory("solutions");
    expect(await buildContainer(impl)).toBeUndefined();
    const niceOf = "cut -d ' ' -f 19 /proc/self/stat";
    // Relative to ours: the suite itself may run under nice.
    const expected = (nice?: number) => String(Math.min(getPriority() + (nice ?? 0), 19));
    for (const nice of [undefined, 7]) {
      const probe = await ProbeContext.open({ storeRoot: store.root, impl, image: await ensureCheckImage(store.root), nice });
      try {
        expect((await probe.sandbox.exec("sh", ["-c", niceOf])).stdout.trim()).toBe(expected(nice));
        const run = await probe.container(["run", "--net", "none", probe.image, "sh", "-c", niceOf]);
        expect(run.stdout.trim(), run.stderr).toBe(expected(nice));
      } finally {
        await probe.close();
      }
    }
    expect(leftoversOf(store.root, mounts)).toEqual([]);
  });
});
