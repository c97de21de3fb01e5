// The runtime follows the learner's progress: each step runs as soon as it is written, steps 4-6
// in any order, and a step still a TODO is skipped (or named) rather than crashing the run.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REPO } from "../../app/build/repo.mjs";
import { Workspace } from "../helpers/container.js";
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

/** An implementation directory: the reference, with the given modules still the pristine exercises. */
function withTodos(...modules: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "impl-progress-"));
  dirs.push(dir);
  for (const file of readdirSync(join(REPO, "solutions"))) copyFileSync(join(REPO, "solutions", file), join(dir, file));
  for (const module of modules) copyFileSync(join(REPO, "exercises", `${module}.ts`), join(dir, `${module}.ts`));
  return dir;
}

describe("a runtime in progress", () => {
  it("names the first function still to write when step 1 is not done", async () => {
    const result = await ws.run(["run", "--net", "none", ws.image, "true"], { impl: "exercises" });
    expect(result.status).toBe(125);
    expect(result.stderr).toBe("container: step 1 is not done yet: spawnInit() is still a TODO\n  read docs/01-process.md, Task 1, then write it in exercises/\n");
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
    expect(result.stderr).toMatch(/^container: after makeMountsPrivate\(\), \d+ mount\(s\) still propagate to the host \(\/\S+.*\): refusing to mount anything\n  make every mount private, recursively/);
  });
});
