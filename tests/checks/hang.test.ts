// An implementation that hangs: the check fails by its time limit, the checks after it still run,
// and nothing the run started is left anywhere.
import { describe, expect, it } from "vitest";
import { runStep } from "../../app/checks/index.js";
import { mutant, mutantsWorkspace, processesRunning } from "./support.js";

const { root, impls } = mutantsWorkspace("hang");

// How long the helper would sleep: a number no other test run uses, to find it by.
const HELPER = `987.${process.pid}`;
const TIMED_OUT = "timed out after 10s: the run did not finish, so the workshop killed it and everything it started";

describe.concurrent("a hanging implementation", () => {
  it("execCommand retrying forever: the checks that reach it time out, the others still run and pass", { timeout: 40_000 }, async () => {
    const impl = mutant(impls, "process.ts", [
      [
        "  return execve(path ?? name, argv, env);",
        [
          "  // Mistake: retries until the kernel agrees, which for a missing or unrunnable file is never.",
          "  for (;;) {",
          "    try {",
          "      return execve(path ?? name, argv, env);",
          "    } catch {",
          "      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);",
          "    }",
          "  }",
        ].join("\n"),
      ],
    ]);
    const results = await runStep("1", { impl, root });
    expect(results.map((r) => [r.id, r.status, r.status === "pass" ? "" : r.message])).toEqual([
      ["1.stdout", "pass", ""],
      ["1.stdin", "pass", ""],
      ["1.exit-status", "pass", ""],
      ["1.not-found", "fail", TIMED_OUT],
      ["1.not-executable", "fail", TIMED_OUT],
      ["1.killed-by-signal", "pass", ""],
    ]);
  });

  it("execCommand waiting forever on a helper it started: killed whole, helper included", { timeout: 40_000 }, async () => {
    const impl = mutant(impls, "process.ts", [
      [
        "  const [name] = argv;",
        [
          "  // Mistake: starts a helper in the background, then waits for it forever.",
          `  spawn("sleep", ["${HELPER}"], { detached: true, stdio: "ignore" }).unref();`,
          "  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);",
          "  const [name] = argv;",
        ].join("\n"),
      ],
    ]);
    const results = await runStep("3", { impl, root });
    expect(results).toHaveLength(7);
    for (const result of results) expect(result).toMatchObject({ status: "fail", message: TIMED_OUT });
    expect(processesRunning(`sleep ${HELPER}`)).toEqual([]);
  });
});
