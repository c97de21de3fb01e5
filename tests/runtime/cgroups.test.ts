// Step 4 end to end: limits read back from the host's cgroup files while the container runs,
// and enforced (the OOM killer, the pids limit). This machine has cgroup v1 controllers;
// cgroups-v2-layout.test.ts covers the v2 file layout.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findCgroupRoot } from "../../app/runtime/cgroup-root.js";
import { collect, eventually, Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
beforeAll(() => ws.pull());
beforeEach((ctx) => requireRoot(ctx));
afterEach(() => expect(ws.leftovers()).toEqual([]));
afterAll(() => ws.cleanUp());

const version = findCgroupRoot()?.version;

/** A probe for one file of the running container's cgroup: undefined until a process is in it. */
function cgroupFile(controller: "memory" | "cpu" | "pids", file: string): () => string | undefined {
  return () => {
    // v1 has a directory per controller (/sys/fs/cgroup/<controller>/...); v2 one for all.
    const dir = ws.cgroupDirs().find((d) => version === 2 || d.includes(`/${controller}/`));
    try {
      if (!dir || !readFileSync(join(dir, "cgroup.procs"), "utf8").trim()) return undefined;
      return readFileSync(join(dir, file), "utf8").trim();
    } catch {
      return undefined;
    }
  };
}

describe("resource limits", () => {
  it("writes the memory, CPU and pids limits and puts the container in its cgroup before the command runs", async () => {
    const child = ws.start(["run", "--net", "none", "--memory", "64M", "--cpus", "0.5", "--pids", "32", ws.image, "sh", "-c", "cat /proc/self/cgroup; sleep 1.5"]);
    const done = collect(child);
    const v1 = version === 1;
    expect(await eventually(cgroupFile("memory", v1 ? "memory.limit_in_bytes" : "memory.max"))).toBe(String(64 * 2 ** 20));
    expect(await eventually(cgroupFile("cpu", v1 ? "cpu.cfs_quota_us" : "cpu.max"))).toBe(v1 ? "50000" : "50000 100000");
    if (v1) expect(await eventually(cgroupFile("cpu", "cpu.cfs_period_us"))).toBe("100000");
    expect(await eventually(cgroupFile("pids", "pids.max"))).toBe("32");
    const result = await done;
    expect(result.status).toBe(0);
    // The command itself ran inside the cgroup: its /proc/self/cgroup names it.
    expect(result.stdout).toMatch(new RegExp(`${ws.cgroupParent}/[0-9a-f]{12}`));
  });

  it("has the OOM killer stop a container that allocates past its memory limit, and says so", async () => {
    const result = await ws.run(["run", "--net", "none", "--memory", "32M", ws.image, "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"]);
    expect(result.status).toBe(137);
    expect(result.stderr).toBe("container: killed by the kernel's OOM killer: the container reached its memory limit of 32M (--memory)\n");
  });

  it("stops forks past the pids limit, and the host stays fine", async () => {
    // The shell forks until the kernel refuses, printing (with a builtin) how many it started.
    const result = await ws.run(["run", "--net", "none", "--pids", "12", ws.image, "sh", "-c", "for i in $(seq 30); do sleep 2 & echo $i; done"]);
    expect(result.stderr).toMatch(/can't fork: Resource temporarily unavailable/);
    const started = Number(result.stdout.trim().split("\n").at(-1));
    expect(started).toBeGreaterThan(5);
    expect(started).toBeLessThan(12);
  });

  it("runs without a cgroup limit when none is asked for", async () => {
    const result = await ws.run(["run", "--net", "none", ws.image, "true"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
  });
});
