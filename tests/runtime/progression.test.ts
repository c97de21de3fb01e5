// The runtime follows the learner's progress: each step runs as soon as it is written, steps 4-6
// in any order, and a step still a TODO is skipped (or named) rather than crashing the run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Workspace } from "../helpers/container.js";
import { inProgress, partial, pristineExercises } from "../helpers/implementations.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
const dirs: string[] = [];
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => {
  ws.cleanUp();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function withTodos(...modules: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "impl-progress-"));
  dirs.push(dir);
  return inProgress(dir, ...modules);
}

describe("a runtime in progress", () => {
  it("names the first function still to write when step 1 is not done", async () => {
    const dir = mkdtempSync(join(tmpdir(), "impl-progress-"));
    dirs.push(dir);
    const result = await ws.run(["run", "--net", "none", ws.image, "true"], { impl: pristineExercises(dir) });
    expect(result.status).toBe(125);
    expect(result.stderr).toBe("container: step 1 is not done yet: spawnInit() is still a TODO\n  read docs/01-process.md, Task 1, then write it in exercises/\n");
  });

  it("with only spawnInit written, stops at once naming waitForExit, and leaves no init process behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "impl-progress-"));
    dirs.push(dir);
    const result = await ws.run(["run", "--net", "none", ws.image, "true"], { impl: partial(dir, "process.ts", "waitForExit") });
    // A run that hung on the init process would be killed by the harness after 20 s: status null.
    expect(result.status).toBe(125);
    expect(result.stderr).toBe("container: step 1 is not done yet: waitForExit() is still a TODO\n  read docs/01-process.md, Task 2, then write it in exercises/\n");
  });

  it("with only step 1 done, runs the command as a plain child process, on the host's filesystem", async () => {
    const impl = withTodos("namespaces", "rootfs", "cgroups", "volumes", "network");
    const result = await ws.run(["run", "--net", "none", ws.image, "sh", "-c", "echo $$; test -d /usr/bin && echo host-files"], { impl });
    expect(result.stderr).toBe("");
    expect(Number(result.stdout.split("\n")[0])).toBeGreaterThan(1);
    // The busybox image has no /usr: seeing it means the host's filesystem.
    expect(result.stdout).toContain("host-files");
  });

  it("with cgroups still a TODO, runs without limits and says so once", async () => {
    const impl = withTodos("cgroups");
    const result = await ws.run(["run", "--net", "none", "--memory", "64M", "--pids", "20", ws.image, "echo", "ran"], { impl });
    expect(result.stdout).toBe("ran\n");
    expect(result.stderr).toBe("container: step 4 is not done yet (createCgroup): running without resource limits\n");
  });

  it("with networking still a TODO, runs the container without a network and says so once", async () => {
    const impl = withTodos("network");
    const result = await ws.run(["run", ws.image, "sh", "-c", "ip -o link show | wc -l"], { impl });
    expect(result.stdout.trim()).toBe("1");
    expect(result.stderr).toBe("container: step 6 is not done yet (setupBridge): the container has no network\n");
  });

  it("with volumes still a TODO, refuses -v instead of silently ignoring it", async () => {
    const impl = withTodos("volumes");
    const result = await ws.run(["run", "--net", "none", "-v", `${tmpdir()}:/data`, ws.image, "true"], { impl });
    expect(result.status).toBe(125);
    expect(result.stderr).toBe("container: step 5 is not done yet: mountVolumes() is still a TODO, so -v cannot work\n  read docs/05-volumes.md, Task 1, or run without -v\n");
  });

  it.each([
    ["--pivot-root", "the pivot-root bonus step", "pivot-root", "pivotRoot", "docs/bonus-pivot-root.md, Task 1"],
    ["--overlay", "the overlay bonus step", "overlay", "mountOverlay", "docs/bonus-overlayfs.md, Task 1"],
  ])("with a bonus step still a TODO, refuses %s instead of quietly running without it", async (option, step, module, func, doc) => {
    const impl = withTodos(module);
    const result = await ws.run(["run", "--net", "none", option, ws.image, "true"], { impl });
    expect(result.status).toBe(125);
    expect(result.stderr).toBe(`container: ${step} is not done yet: ${func}() is still a TODO, so ${option} cannot work\n  read ${doc}, or run without ${option}\n`);
  });

  it("refuses to mount while mounts still propagate to the host (makeMountsPrivate forgot MS_REC)", async () => {
    const impl = withTodos();
    const rootfs = join(impl, "rootfs.ts");
    writeFileSync(rootfs, readFileSync(rootfs, "utf8").replace('mount(null, "/", null, MS_REC | MS_PRIVATE);', 'mount(null, "/", null, MS_PRIVATE);'));
    const result = await ws.run(["run", "--net", "none", ws.image, "true"], { impl });
    expect(result.status).toBe(125);
    // The sandbox's own mounts are not listed as if they were the learner's: counted, and the fix named.
    expect(result.stderr).toMatch(/^container: after makeMountsPrivate\(\), \d+ mount\(s\) below \/ still propagate to the host: refusing to mount anything\n  make them all private at once, recursively: mount\(null, "\/", null, MS_REC \| MS_PRIVATE\) \(docs\/03-rootfs.md, Task 1\)\n$/);
  });
});
