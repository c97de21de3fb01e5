// Bonus, exec: a command started with `container exec` in a running container is in each of its
// namespaces (hostname, processes), its root (its own /etc files, its volumes) and working
// directory, its cgroup and environment; its exit status comes back; a container that is not
// running is one line. Hostile: the container turns its working directory into a link to a host
// directory before the exec, which must not follow it out of the container's root.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_IMAGES, ensureConfigImages } from "../check-image.js";
import { docFor, fail, firstLine, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import { describeRun, keyValues, neverGotGoing, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("exec", func);
const IMAGE = CONFIG_IMAGES.execWorkdir;
const HOSTNAME = "exec-box";
const NAMESPACES = ["uts", "ipc", "net", "pid", "mnt"];
/** An id no container has (ids are 12 hex digits). */
const UNKNOWN_ID = "0000000000ff";

/** What the exec'd command reports about itself, as key=value lines. */
const INSPECT = [
  'echo "hostname=$(hostname)"',
  'echo "pid1=$(cat /proc/1/comm)"',
  ...NAMESPACES.map((ns) => `[ "$(readlink /proc/self/ns/${ns})" = "$(readlink /proc/1/ns/${ns})" ] && echo "ns-${ns}=same" || echo "ns-${ns}=other"`),
  'echo "etc-hostname=$(cat /etc/hostname)"',
  'echo "volume=$(cat /vol/from-host)"',
  'echo "cwd=$(pwd)"',
  'echo "from-run=$FROM_RUN"',
  'cmp -s /proc/self/cgroup /vol/cgroup-of-container && echo "cgroup=same" || echo "cgroup=other"',
].join("\n");

interface Seen {
  /** The run itself, when it failed before its command was ready (nothing to exec into). */
  notReady?: Result;
  inspect?: Result;
  values: Map<string, string>;
  status?: Result;
  unknown?: Result;
  stopped?: Result;
  /** The exec after the container made its working directory a link to `victim`, a host directory. */
  linked?: Result;
  victimFiles: string[];
}

async function look(c: ProbeContext): Promise<Seen> {
  const volume = c.tempDir("exec-volume");
  const victim = c.tempDir("exec-victim");
  writeFileSync(join(volume, "from-host"), "from the host");
  // The container keeps running until its stdin closes.
  const ready = `cat /proc/self/cgroup > /vol/cgroup-of-container; echo ready; read line`;
  const run = c.start(["run", "--net", "none", "--hostname", HOSTNAME, "-e", "FROM_RUN=yes", "-v", `${volume}:/vol`, IMAGE.ref, "sh", "-c", ready]);
  const seen: Seen = { values: new Map(), victimFiles: [] };
  try {
    if (!(await run.waitFor(/^ready$/m))) return { ...seen, notReady: await run.done };
    // `container ps` says which id to give exec.
    const ps = await c.container(["ps"]);
    const id = ps.stdout.split("\n")[1]?.split(/\s+/)[0] ?? "";
    const [inspect, status, unknown] = await Promise.all([
      c.container(["exec", id, "sh", "-c", INSPECT]),
      c.container(["exec", id, "sh", "-c", "exit 42"]),
      c.container(["exec", UNKNOWN_ID, "true"]),
    ]);
    Object.assign(seen, { inspect, status, unknown, values: keyValues(inspect.stdout) });
    await c.container(["exec", id, "sh", "-c", `cd / && rm -rf /vol/work && ln -s '${victim}' /vol/work`]);
    seen.linked = await c.container(["exec", id, "sh", "-c", "touch planted-by-exec; pwd"]);
    seen.victimFiles = readdirSync(victim);
    run.end();
    await run.done;
    seen.stopped = await c.container(["exec", id, "true"]);
    return seen;
  } finally {
    run.end();
  }
}

/** The exec that inspects the container must have run. */
function precondition(seen: Seen): Verdict | undefined {
  if (seen.notReady) return neverGotGoing(seen.notReady);
  return seen.inspect && unexpectedExit(seen.inspect);
}

export const execChecks: StepChecks = {
  step: "exec",
  prepare: ensureConfigImages,
  probes: [
    probe({
      run: look,
      checks: [
        {
          name: "hostname-and-processes",
          // A run, then exec after exec: slow on a busy machine.
          timeoutMs: 30_000,
          title: "The exec'd command has the container's hostname and sees its processes (PID 1 is the container's command)",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const hostname = seen.values.get("hostname");
            if (hostname !== HOSTNAME) return fail(`hostname inside the exec'd command was "${hostname}"; expected the container's, "${HOSTNAME}": join its UTS namespace (${task("spawnInContainer")})`);
            const pid1 = seen.values.get("pid1");
            if (pid1 !== "sh") return fail(`PID 1 as the exec'd command sees it is "${pid1}"; expected the container's command, sh: join its PID namespace before spawn() (${task("spawnInContainer")})`);
            return pass();
          },
        },
        {
          name: "namespaces",
          title: "It is in each of the container's namespaces: UTS, IPC, network, PID and mount",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const other = NAMESPACES.filter((ns) => seen.values.get(`ns-${ns}`) !== "same");
            if (other.length === 0) return pass();
            return fail(`the exec'd command is not in the container's ${other.join(", ")} namespace${other.length > 1 ? "s" : ""} (/proc/self/ns against /proc/1/ns) (${task(other.includes("mnt") ? "enterContainerRoot" : "spawnInContainer")})`);
          },
        },
        {
          name: "root-and-environment",
          title: "It sees the container's own files and volumes, starts in its working directory, with its environment",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const { values } = seen;
            const problems = [
              values.get("etc-hostname") === HOSTNAME ? undefined : `/etc/hostname read "${values.get("etc-hostname") ?? ""}", not the container's "${HOSTNAME}"`,
              values.get("volume") === "from the host" ? undefined : `the container's volume /vol was not there (read "${values.get("volume") ?? ""}")`,
              values.get("cwd") === IMAGE.config.WorkingDir ? undefined : `it started in "${values.get("cwd") ?? ""}", not the container's working directory ${IMAGE.config.WorkingDir}`,
            ].filter(Boolean);
            if (problems.length) return fail(`${problems.join("; ")}: take the container's mount namespace and root, then its working directory (${task("enterContainerRoot")})`);
            if (values.get("from-run") !== "yes") return fail(`FROM_RUN, given to run with -e, was "${values.get("from-run") ?? ""}" in the exec'd command; expected "yes", the container's environment`);
            return pass();
          },
        },
        {
          name: "cgroup",
          title: "It is in the container's cgroup, so the container's limits hold for it too",
          needs: ["spawnInContainer", "enterContainerRoot", "addProcess"],
          judge: (seen) =>
            precondition(seen) ??
            (seen.values.get("cgroup") === "same" ? pass() : fail("the exec'd command's /proc/self/cgroup differs from the container's command's: it escapes the container's limits (addProcess(), docs/04-cgroups.md, Task 2)")),
        },
        {
          name: "exit-status",
          title: "The command's exit status comes back as exec's own",
          judge: ({ status, notReady }) => {
            if (notReady) return neverGotGoing(notReady);
            return status?.status === 42 ? pass() : fail(`container exec ID sh -c "exit 42" ${status ? describeRun(status) : "never ran"}; expected 42`);
          },
        },
        {
          name: "not-running",
          title: "exec into an unknown or a stopped container says so in one line, with status 125",
          judge: ({ unknown, stopped, notReady }) => {
            if (notReady) return neverGotGoing(notReady);
            for (const [what, result] of [["an unknown id", unknown], ["a container that has exited", stopped]] as const) {
              if (!result) return fail(`exec into ${what} never ran`);
              if (result.status !== 125 || !/^container: no running container /.test(firstLine(result.stderr))) {
                return fail(`exec into ${what} ${describeRun(result)}; expected 125 and "container: no running container ID"`);
              }
            }
            return pass();
          },
        },
        {
          name: "workdir-stays-inside",
          title: "A working directory the container made a link to a host directory does not take exec out of the container's root",
          judge: ({ linked, victimFiles, notReady }) => {
            if (notReady) return neverGotGoing(notReady);
            if (victimFiles.length) return fail(`the exec'd command wrote ${victimFiles.join(", ")} into the host directory the container's working directory links to: resolve the working directory only once the container's root is yours (${task("enterContainerRoot")})`);
            if (!linked) return fail("the exec after the link was made never ran");
            // Inside the container the link leads nowhere: chdir fails there (ENOENT), as it should.
            if (linked.status === 0 || (linked.status === 125 && /ENOENT|no such file/i.test(linked.stderr))) return pass();
            return fail(`${describeRun(linked)}; expected the exec to stay in the container, where the link leads nowhere (${task("enterContainerRoot")})`);
          },
        },
      ],
    }),
  ],
};
