// Step 4, cgroups: the limits are written where the kernel reads them, the container is in its
// cgroup, the kernel enforces the limits, and the cgroup goes when the container does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findCgroupRoot } from "../../runtime/cgroup-root.js";
import type { Cgroup } from "../../runtime/contract.js";
import { fakeCgroupTree, forgetProcesses } from "../fake-cgroup-tree.js";
import { docFor, fail, pass, probe, type StepChecks } from "../define.js";
import type { Result } from "../harness.js";
import { listLeftovers, type ProbeContext } from "../probe-context.js";
import { describeRun, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("4", func);
const MEMORY = 64 * 2 ** 20;
const LIMITS = ["--memory", "64M", "--cpus", "0.5", "--pids", "40"];
/** The cgroup version this machine runs (the checks say which ran for real), and the other one, run on a fake tree. */
const REAL = findCgroupRoot()?.version;
const OTHER = REAL === 2 ? 1 : 2;

interface Limits {
  result: Result;
  /** What createCgroup() made, as the container's state recorded it. */
  cgroup?: Cgroup;
  pid?: number;
  /** The cgroup directories below the probe's parent while the container ran. */
  dirs: string[];
  /** The limits in the cgroup's files while the container ran. */
  limits?: WrittenLimits;
  /** cgroup dir -> the pids in its cgroup.procs. */
  procs: Record<string, string[]>;
}

interface WrittenLimits {
  memory?: string;
  /** quota / period */
  cpus: number;
  /** The CPU file(s) as written, for messages. */
  cpuText?: string;
  pids?: string;
  /** Where they are, for messages. */
  files: { memory: string; cpu: string; pids: string };
}

function read(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The limits as the kernel reads them, from the files of the cgroup's version. */
function writtenLimits({ version, dirs }: Cgroup): WrittenLimits {
  if (version === 2) {
    const cpuText = read(dirs.cpu, "cpu.max");
    const [quota, period] = (cpuText ?? "").split(" ");
    return { memory: read(dirs.memory, "memory.max"), cpus: Number(quota) / Number(period), cpuText, pids: read(dirs.pids, "pids.max"), files: { memory: "memory.max", cpu: "cpu.max", pids: "pids.max" } };
  }
  const [quota, period] = [read(dirs.cpu, "cpu.cfs_quota_us"), read(dirs.cpu, "cpu.cfs_period_us")];
  const cpuText = quota === undefined || period === undefined ? undefined : `${quota} / ${period}`;
  return { memory: read(dirs.memory, "memory.limit_in_bytes"), cpus: Number(quota) / Number(period), cpuText, pids: read(dirs.pids, "pids.max"), files: { memory: "memory.limit_in_bytes", cpu: "cpu.cfs_quota_us / cpu.cfs_period_us", pids: "pids.max" } };
}

/** What is wrong with the limits as written (empty when they are right). */
function wrongLimits({ memory, cpus, cpuText, pids, files }: WrittenLimits): string[] {
  return [
    memory === String(MEMORY) ? undefined : `${files.memory} is ${memory ?? "missing"}, expected ${MEMORY} (--memory 64M)`,
    cpus === 0.5 ? undefined : `${files.cpu} is ${cpuText === undefined ? "missing" : `"${cpuText}"`}, which is ${Number.isNaN(cpus) ? "no limit" : `${cpus} CPUs`}; expected 0.5 (--cpus 0.5)`,
    pids === "40" ? undefined : `${files.pids} is ${pids ?? "missing"}, expected 40 (--pids 40)`,
  ].filter((w) => w !== undefined);
}

interface OtherVersion {
  result: Result;
  tree: string;
  cgroup?: Cgroup;
  pid?: number;
  limits?: WrittenLimits;
  procs: Record<string, string[]>;
  /** v2: the cgroup.subtree_control of the root and of each parent, by directory. */
  subtreeControl: Record<string, string>;
}

/** The learner's code for the cgroup version this machine does not run, on a fake tree of that version's shape. */
async function runOtherVersion(c: ProbeContext): Promise<OtherVersion> {
  const tree = c.tempDir(`cgroup-v${OTHER}`);
  const root = fakeCgroupTree(tree, OTHER, c.harness.cgroupParent);
  const run = c.start(["run", "--net", "none", ...LIMITS, c.image, "sh", "-c", "echo ready; read -t 8 line; true"], { env: { CONTAINER_CGROUP_ROOT: JSON.stringify(root) } });
  const seen: Omit<OtherVersion, "result"> = { tree, procs: {}, subtreeControl: {} };
  if (await run.waitFor(/ready/)) {
    const state = c.states().find((s) => s.pid !== undefined);
    seen.cgroup = state?.cgroup;
    seen.pid = state?.pid;
    if (seen.cgroup) {
      seen.limits = writtenLimits(seen.cgroup);
      for (const dir of new Set(Object.values(seen.cgroup.dirs))) seen.procs[dir] = (read(dir, "cgroup.procs") ?? "").split("\n").filter(Boolean);
    }
    if (root.version === 2) {
      const parents = [tree, join(tree, c.harness.cgroupParent)];
      for (const dir of parents) seen.subtreeControl[dir] = read(dir, "cgroup.subtree_control") ?? "";
    }
  }
  forgetProcesses(tree);
  run.end();
  return { result: await run.done, ...seen };
}

/** Whether the other version's code wrote that version's files, in that version's places. */
function otherVersionVerdict(seen: OtherVersion) {
  const where = `on a fake cgroup v${OTHER} tree (this machine runs ${REAL ? `v${REAL}` : "neither"}, so that code never ran for real)`;
  if (!seen.cgroup) return fail(`${describeRun(seen.result)}: the container had no cgroup ${where} (${task("createCgroup")})`);
  if (seen.cgroup.version !== OTHER) return fail(`given a cgroup v${OTHER} root, createCgroup() returned a v${seen.cgroup.version} cgroup ${where} (${task("createCgroup")})`);
  const outside = Object.values(seen.cgroup.dirs).filter((dir) => !dir.startsWith(`${seen.tree}/`));
  if (outside.length) return fail(`createCgroup() returned ${outside.join(", ")}, outside the root it was given, ${where} (${task("createCgroup")})`);
  const problems = wrongLimits(seen.limits!);
  for (const [dir, control] of Object.entries(seen.subtreeControl)) {
    const missing = ["memory", "cpu", "pids"].filter((c) => !control.split(/\s+/).includes(`+${c}`));
    if (missing.length) problems.push(`${dir}/cgroup.subtree_control does not enable ${missing.join(", ")} for its children`);
  }
  const without = Object.entries(seen.procs).filter(([, pids]) => !pids.includes(String(seen.pid))).map(([dir]) => `${dir}/cgroup.procs`);
  if (without.length) problems.push(`the container's process ${seen.pid} is not in ${without.join(", ")}`);
  return problems.length ? fail(`${problems.join("; ")}, ${where} (${task(problems.length === without.length && without.length ? "addProcess" : "createCgroup")})`) : pass();
}

export const step4: StepChecks = {
  step: "4",
  blame: { cgroup: "cgroup-removed" },
  probes: [
    probe({
      // The container waits on its stdin while we read its cgroup from the host.
      run: async (c): Promise<Limits> => {
        const run = c.start(["run", "--net", "none", ...LIMITS, c.image, "sh", "-c", "echo ready; cat /proc/self/cgroup; read -t 8 line; true"]);
        const seen: Omit<Limits, "result"> = { dirs: [], procs: {} };
        if (await run.waitFor(/ready/)) {
          const state = c.states().find((s) => s.pid !== undefined);
          seen.cgroup = state?.cgroup;
          seen.pid = state?.pid;
          seen.dirs = c.harness.cgroupDirs();
          if (seen.cgroup) {
            seen.limits = writtenLimits(seen.cgroup);
            for (const dir of new Set(Object.values(seen.cgroup.dirs))) seen.procs[dir] = (read(dir, "cgroup.procs") ?? "").split("\n").filter(Boolean);
          }
        }
        run.end();
        return { result: await run.done, ...seen };
      },
      checks: [
        {
          name: "limits",
          title: `--memory, --cpus and --pids are written to the container's cgroup (cgroup v${REAL ?? "?"}, for real)`,
          needs: ["createCgroup"],
          judge: (seen) => {
            const wrong = unexpectedExit(seen.result);
            if (wrong) return wrong;
            if (!seen.cgroup) return fail(`the container had no cgroup while it ran (${task("createCgroup")})`);
            const outside = Object.values(seen.cgroup.dirs).filter((dir) => !seen.dirs.includes(dir));
            if (outside.length) return fail(`createCgroup() returned ${outside.join(", ")}, which does not exist below the cgroup parent it was given (${task("createCgroup")})`);
            const wrongFiles = wrongLimits(seen.limits!);
            return wrongFiles.length ? fail(`${wrongFiles.join("; ")} (${task("createCgroup")})`) : pass();
          },
        },
        {
          name: "in-cgroup",
          title: "The container's processes are in its cgroup",
          needs: ["createCgroup", "addProcess"],
          judge: (seen) => {
            const wrong = unexpectedExit(seen.result);
            if (wrong) return wrong;
            if (!seen.cgroup) return fail(`the container had no cgroup while it ran (${task("createCgroup")})`);
            const without = Object.entries(seen.procs).filter(([, pids]) => !pids.includes(String(seen.pid))).map(([dir]) => dir);
            const id = seen.cgroup.dirs.pids.split("/").at(-1) ?? "";
            const inside = seen.result.stdout.split("\n").filter((line) => /^\d+:/.test(line) && line.includes(id));
            if (without.length === 0 && inside.length > 0) return pass();
            const own = seen.result.stdout.split("\n").find((line) => /^\d+:[^:]*pids|^0::/.test(line));
            return fail(
              `the container's process ${seen.pid} is not in ${without.join(", ") || "its cgroup"}${own ? ` (its /proc/self/cgroup says "${own}")` : ""}: its limits do not apply to it; move it in with cgroup.procs (${task("addProcess")})`,
            );
          },
        },
        {
          name: "cgroup-removed",
          title: "The cgroup is removed once the container exits",
          judge: (seen, left) =>
            left.length
              ? fail(`${listLeftovers(left)} stayed after the container exited (the workshop removed ${left.length > 1 ? "them" : "it"}): removeCgroup() must kill what is left in it and rmdir it (${task("removeCgroup")})`)
              : (unexpectedExit(seen.result) ?? pass()),
        },
      ],
    }),
    probe({
      run: runOtherVersion,
      checks: [
        {
          name: "other-version",
          title: `Your cgroup v${OTHER} code writes v${OTHER}'s files (on a fake v${OTHER} tree: this machine runs ${REAL ? `v${REAL}` : "neither"})`,
          needs: ["createCgroup", "addProcess"],
          judge: otherVersionVerdict,
        },
      ],
    }),
    probe({
      run: (c) => c.container(["run", "--net", "none", "--memory", "32M", c.image, "dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"]),
      checks: [
        {
          name: "memory-enforced",
          title: "A container past its memory limit is killed (137), and container says why",
          needs: ["createCgroup", "addProcess"],
          judge: (r) => {
            if (r.status === 137 && /OOM killer/.test(r.stderr)) return pass();
            if (r.status === 0) return fail(`dd allocated 128M under --memory 32M and exited with 0; expected the OOM killer to stop it (137): is the process in the cgroup, and the limit in memory.limit_in_bytes or memory.max? (${task("createCgroup")})`);
            return fail(`${describeRun(r)}; expected 137 and container's line about the OOM killer (${task("createCgroup")})`);
          },
        },
      ],
    }),
    probe({
      // The shell forks until the kernel refuses, printing (with a builtin) how many it started.
      run: (c) => c.container(["run", "--net", "none", "--pids", "12", c.image, "sh", "-c", "for i in $(seq 30); do sleep 5 & echo $i; done"]),
      checks: [
        {
          name: "pids-enforced",
          title: "A fork loop stops below the pids limit",
          needs: ["createCgroup", "addProcess"],
          judge: (r) => {
            const started = Number(r.stdout.trim().split("\n").at(-1) ?? 0);
            if (started > 0 && started < 12 && /can't fork/.test(r.stderr)) return pass();
            return fail(`with --pids 12 the shell started ${started} processes; expected it to be refused a fork before 12 (pids.max) (${task("createCgroup")})`);
          },
        },
      ],
    }),
  ],
};
