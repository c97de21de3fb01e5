// A runtime in progress: the steps written pass, and the steps not written yet read as "not
// started", with the reason, rather than as failures.
import { describe, expect, it } from "vitest";
import { runStep } from "../../app/checks/index.js";
import { inProgress, mutantsWorkspace, partial } from "./support.js";

const { root, impls } = mutantsWorkspace("progress");

/** status: message, for each check of the step. */
async function statuses(step: string, impl: string): Promise<string[]> {
  return (await runStep(step, { impl, root })).map((r) => `${r.status}: ${r.message ?? ""}`);
}

describe.concurrent("a runtime in progress", () => {
  it("with only spawnInit written (the first thing a learner writes), step 1's checks are all not started at once, naming waitForExit", async () => {
    const impl = partial(impls, "process.ts", "waitForExit");
    // Not "timed out after 10s": the run stops at the TODO and takes the init process it started along.
    expect(new Set(await statuses("1", impl))).toEqual(new Set(["not-started: step 1 is not done yet: waitForExit() is still a TODO"]));
  });

  it("with only step 1 written, step 1 passes: the command runs on the host's own programs (its sh may be dash)", async () => {
    const impl = inProgress(impls, "namespaces", "rootfs", "cgroups", "volumes", "network", "image-config");
    expect(new Set(await statuses("1", impl))).toEqual(new Set(["pass: "]));
  });

  it("with steps 1 and 2 written, step 2 passes and steps 3 and 5 are not started, naming step 3's first function", async () => {
    const impl = inProgress(impls, "rootfs", "cgroups", "volumes", "network", "image-config");
    const [two, three, five] = await Promise.all([statuses("2", impl), statuses("3", impl), statuses("5", impl)]);
    expect(new Set(two)).toEqual(new Set(["pass: "]));
    // Step 5 builds on step 3: its checks wait for step 3's first function too.
    expect(new Set(three)).toEqual(new Set(["not-started: step 3 is not done yet: makeMountsPrivate() is still a TODO"]));
    expect(new Set(five)).toEqual(new Set(["not-started: step 3 is not done yet: makeMountsPrivate() is still a TODO"]));
  });

  it("with steps 1 to 3 written, step 3 passes and the others say which function they are waiting for", async () => {
    const impl = inProgress(impls, "cgroups", "volumes", "network", "image-config");
    const [three, four, five, six, config] = await Promise.all(["3", "4", "5", "6", "image-config"].map((step) => statuses(step, impl)));
    expect(new Set(three)).toEqual(new Set(["pass: "]));
    expect(new Set(four)).toEqual(new Set(["not-started: step 4 is not done yet: createCgroup() is still a TODO"]));
    expect(new Set(five)).toEqual(new Set(["not-started: step 5 is not done yet: mountVolumes() is still a TODO"]));
    expect(new Set(six)).toEqual(new Set(["not-started: step 6 is not done yet: setupBridge() is still a TODO"]));
    expect(new Set(config)).toEqual(new Set(["not-started: the image-config bonus step is not done yet: commandLine() is still a TODO"]));
  });

  it("with step 4's cgroup made but the process never moved in, the limits pass and the rest waits for addProcess", async () => {
    const impl = partial(impls, "cgroups.ts", "addProcess");
    const results = await runStep("4", { impl, root });
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["4.limits", "pass"],
      ["4.in-cgroup", "not-started"],
      ["4.cgroup-removed", "not-started"],
      ["4.other-version", "not-started"],
      ["4.memory-enforced", "not-started"],
      ["4.pids-enforced", "not-started"],
    ]);
    expect(results[1]!.message).toBe("step 4 is not done yet: addProcess() is still a TODO");
  });
});
