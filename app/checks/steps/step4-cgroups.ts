// Step 4, cgroups: the limits are written where the kernel reads them, the container is in its
// cgroup, the kernel enforces the limits, and the cgroup goes when the container does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Cgroup } from "../../runtime/contract.js";
import { docFor, fail, pass, probe, type StepChecks } from "../define.js";
import type { Result } from "../harness.js";
import { listLeftovers } from "../probe-context.js";
import { describeRun, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("4", func);
const MEMORY = 64 * 2 ** 20;

interface Limits {
  result: Result;
  /** What createCgroup() made, as the container's state recorded it. */
  cgroup?: Cgroup;
  pid?: number;
  /** The cgroup directories below the probe's parent while the container ran. */
  dirs: string[];
  /** file name -> content, read while the container ran. */
  files: Record<string, string | undefined>;
  /** cgroup dir -> the pids in its cgroup.procs. */
  procs: Record<string, string[]>;
}

function read(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The limit files of each cgroup version, and what they must hold for --memory 64M --cpus 0.5 --pids 40. */
function expectedFiles(cgroup: Cgroup): [controller: keyof Cgroup["dirs"], file: string, ok: (value: string) => boolean, want: string][] {
  if (cgroup.version === 2) {
    return [
      ["memory", "memory.max", (v) => v === String(MEMORY), String(MEMORY)],
      ["cpu", "cpu.max", (v) => ratio(v.split(" ")) === 0.5, '"50000 100000" (a quota of half the period)'],
      ["pids", "pids.max", (v) => v === "40", "40"],
    ];
  }
  return [
    ["memory", "memory.limit_in_bytes", (v) => v === String(MEMORY), String(MEMORY)],
    ["cpu", "cpu.cfs_quota_us", () => true, "half of cpu.cfs_period_us"],
    ["pids", "pids.max", (v) => v === "40", "40"],
  ];
}

function ratio([quota, period]: (string | undefined)[]): number {
  return Number(quota) / Number(period);
}

export const step4: StepChecks = {
  step: "4",
  probes: [
    probe({
      // The container waits on its stdin while we read its cgroup from the host.
      run: async (c): Promise<Limits> => {
        const run = c.start(["run", "--net", "none", "--memory", "64M", "--cpus", "0.5", "--pids", "40", c.image, "sh", "-c", "echo ready; cat /proc/self/cgroup; read -t 8 line; true"]);
        const seen: Omit<Limits, "result"> = { dirs: [], files: {}, procs: {} };
        if (await run.waitFor(/ready/)) {
          const state = c.states().find((s) => s.pid !== undefined);
          seen.cgroup = state?.cgroup;
          seen.pid = state?.pid;
          seen.dirs = c.harness.cgroupDirs();
          if (seen.cgroup) {
            for (const [controller, file] of expectedFiles(seen.cgroup)) seen.files[file] = read(seen.cgroup.dirs[controller], file);
            if (seen.cgroup.version === 1) seen.files["cpu.cfs_period_us"] = read(seen.cgroup.dirs.cpu, "cpu.cfs_period_us");
            for (const dir of new Set(Object.values(seen.cgroup.dirs))) seen.procs[dir] = (read(dir, "cgroup.procs") ?? "").split("\n").filter(Boolean);
          }
        }
        run.end();
        return { result: await run.done, ...seen };
      },
      blame: { cgroup: "cgroup-removed" },
      checks: [
        {
          name: "limits",
          title: "--memory, --cpus and --pids are written to the container's cgroup",
          needs: ["createCgroup"],
          judge: (seen) => {
            const wrong = unexpectedExit(seen.result);
            if (wrong) return wrong;
            if (!seen.cgroup) return fail(`the container had no cgroup while it ran (${task("createCgroup")})`);
            const outside = Object.values(seen.cgroup.dirs).filter((dir) => !seen.dirs.includes(dir));
            if (outside.length) return fail(`createCgroup() returned ${outside.join(", ")}, which does not exist below the cgroup parent it was given (${task("createCgroup")})`);
            const wrongFiles = expectedFiles(seen.cgroup).flatMap(([, file, ok, want]) => {
              const value = seen.files[file];
              return value !== undefined && ok(value) ? [] : [`${file} is ${value === undefined ? "missing" : `"${value}"`}, expected ${want}`];
            });
            if (seen.cgroup.version === 1 && ratio([seen.files["cpu.cfs_quota_us"], seen.files["cpu.cfs_period_us"]]) !== 0.5) {
              wrongFiles.push(`cpu.cfs_quota_us / cpu.cfs_period_us is ${seen.files["cpu.cfs_quota_us"]} / ${seen.files["cpu.cfs_period_us"]}, expected 0.5 (--cpus 0.5)`);
            }
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
              ? fail(`after the container exited, ${listLeftovers(left)} was still there (the workshop removed it): removeCgroup() must kill what is left in it and rmdir it (${task("removeCgroup")})`)
              : (unexpectedExit(seen.result) ?? pass()),
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
