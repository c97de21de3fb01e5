// cgroup v2 cannot run for real here (this machine's cgroup2 tree has no controllers), so the
// reference's v2 code runs against a fake tree with v2's file layout. What it checks is the part
// learners on v2 machines get wrong: enabling controllers down the tree, and the file formats.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findCgroupRoot } from "../../app/runtime/cgroup-root.js";
import { addProcess, createCgroup } from "../../solutions/cgroups.js";

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A directory shaped like a cgroup v2 root: what the kernel would show at /sys/fs/cgroup. */
function fakeV2Root(): string {
  root = mkdtempSync(join(tmpdir(), "fake-cgroup2-"));
  writeFileSync(join(root, "cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
  writeFileSync(join(root, "cgroup.subtree_control"), "");
  return root;
}

describe("cgroup v2 file layout (fake tree: this machine has no v2 controllers)", () => {
  it("enables memory, cpu and pids down the tree and writes v2's limit files", () => {
    const base = fakeV2Root();
    // What the kernel creates in a new cgroup directory: mkdir on a fake tree does not, so pre-create.
    const parent = join(base, "container-workshop");
    mkdirSync(parent);
    writeFileSync(join(parent, "cgroup.controllers"), "cpu memory pids\n");
    const cgroup = createCgroup({ version: 2, path: base, parent: "container-workshop" }, "abc123", { memory: 64 * 2 ** 20, cpus: 1.5, pids: 20 });
    const dir = join(parent, "abc123");
    expect(cgroup).toEqual({ version: 2, dirs: { memory: dir, cpu: dir, pids: dir } });
    expect(readFileSync(join(base, "cgroup.subtree_control"), "utf8")).toBe("+memory +cpu +pids");
    expect(readFileSync(join(parent, "cgroup.subtree_control"), "utf8")).toBe("+memory +cpu +pids");
    expect(readFileSync(join(dir, "memory.max"), "utf8")).toBe("67108864");
    expect(readFileSync(join(dir, "cpu.max"), "utf8")).toBe("150000 100000");
    expect(readFileSync(join(dir, "pids.max"), "utf8")).toBe("20");
    addProcess(cgroup, 4242);
    expect(readFileSync(join(dir, "cgroup.procs"), "utf8")).toBe("4242");
  });

  it("finds a v2 tree with controllers in the mount table, and v1 hierarchies otherwise", () => {
    const base = fakeV2Root();
    const v2 = `30 1 0:26 / ${base} rw,nosuid - cgroup2 cgroup2 rw\n`;
    expect(findCgroupRoot("p", v2)).toEqual({ version: 2, path: base, parent: "p" });
    const hybrid = [
      "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu",
      "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory",
      "39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids",
      // a controller-less v2 tree, as in hybrid mode: not usable
      `41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw`,
    ].join("\n");
    expect(findCgroupRoot("p", hybrid)).toEqual({
      version: 1,
      controllers: { memory: "/sys/fs/cgroup/memory", cpu: "/sys/fs/cgroup/cpu", pids: "/sys/fs/cgroup/pids" },
      parent: "p",
    });
    expect(findCgroupRoot("p", "")).toBeUndefined();
  });
});
