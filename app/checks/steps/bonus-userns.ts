// Bonus, user namespaces: with --userns, root in the container is uid 0 there and a range of
// unprivileged ids on the host. Seen from inside (id, /proc/self/uid_map, the image's owners, the
// namespaces root can use) and from the host (what a volume's new file is owned by, two containers
// at once, and a chroot escape that reaches the host's files and can write none of root's).
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import { describeRun, hostFilesTest, keyValues, rootNotChanged, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("userns", func);
const UP = Array.from({ length: 24 }, () => "..").join("/");

interface Run {
  result: Result;
  values: Map<string, string>;
}

interface Seen {
  inside: Run;
  /** What the container wrote to its volume, as the host sees it. */
  written?: { uid: number };
  escape: Run & { victim: string; created: boolean };
  /** Two containers running at the same time: their uid_map lines. */
  together: { first: Result; second: Result; maps: (string | undefined)[] };
}

/** A directory of the probe's that root in the container can reach and write (root on the host owns it, not the range). */
function sharedDir(c: ProbeContext, label: string): string {
  const dir = c.tempDir(label);
  chmodSync(dir, 0o777);
  return dir;
}

const mapOf = (text: string | undefined) => text?.trim().split(/\s+/).join(" ");

async function lookInside(c: ProbeContext): Promise<Pick<Seen, "inside" | "written">> {
  const data = sharedDir(c, "userns-volume");
  writeFileSync(join(data, "from-host"), "hello from the host\n");
  const script = [
    hostFilesTest(c),
    'echo "uid=$(id -u)"; echo "gid=$(id -g)"',
    'echo "uid-map=$(cat /proc/self/uid_map)"',
    'echo "owner=$(stat -c %u:%g /bin/busybox)"',
    'echo "hostname=$(hostname)"; echo "pid=$$"',
    'echo "read=$(cat /data/from-host)"',
    "echo from-container > /data/written; echo \"wrote=$?\"",
  ].join("\n");
  const result = await c.container(["run", "--net", "none", "--userns", "--hostname", "userns-box", "-v", `${data}:/data`, c.image, "sh", "-c", script]);
  const file = join(data, "written");
  const written = existsSync(file) ? { uid: statSync(file).uid } : undefined;
  return { inside: { result, values: keyValues(result.stdout) }, written };
}

/**
 * The classic chroot escape, with --privileged so that nothing but the user namespace stands in
 * its way: a jail on a tmpfs, fd 3 left open outside it, and ".." from there to the host's root.
 * There it reads a file of the probe's (so it did reach the host), then tries to write a file of
 * root's and to make a new one beside it.
 */
async function tryEscape(c: ProbeContext): Promise<Seen["escape"]> {
  const dir = c.tempDir("userns-victim");
  chmodSync(dir, 0o755);
  const victim = join(dir, "victim");
  writeFileSync(join(dir, "host-only"), "host\n");
  writeFileSync(victim, "untouched\n", { mode: 0o644 });
  const jail = "mount -t tmpfs jail /tmp && mkdir -p /tmp/x/bin /tmp/x/proc && cp /bin/busybox /tmp/x/bin/ && mount -t proc proc /tmp/x/proc";
  // The climb itself may be refused: the store's directories above the image are root's alone (0700).
  // (The jail has no /dev: its complaints go to stderr as they are.)
  const climb = `cd /proc/self/fd/3 && if cd -P ${UP}; then echo climbed=yes; else echo climbed=no; fi`;
  const inner = [climb, `echo "reached=$(cat .${dir}/host-only)"`, `echo pwned > .${victim}; echo "write=$?"`, `touch .${dir}/new; echo "create=$?"`].join("; ");
  const script = `${jail} && exec 3</ && chroot /tmp/x /bin/busybox sh -c '${inner}'; echo "status=$?"`;
  const result = await c.container(["run", "--net", "none", "--userns", "--privileged", c.image, "sh", "-c", script]);
  return { result, values: keyValues(result.stdout), victim: readFileSync(victim, "utf8"), created: existsSync(join(dir, "new")) };
}

/** Two containers, each waiting for the other, so that both run at once. */
async function runTogether(c: ProbeContext): Promise<Seen["together"]> {
  const dir = sharedDir(c, "userns-together");
  const wait = (file: string) => `until [ -e /data/${file} ]; do sleep 0.05; done`;
  const [first, second] = await Promise.all([
    c.container(["run", "--net", "none", "--userns", "-v", `${dir}:/data`, c.image, "sh", "-c", `cat /proc/self/uid_map; touch /data/first-up; ${wait("second-up")}`]),
    c.container(["run", "--net", "none", "--userns", "-v", `${dir}:/data`, c.image, "sh", "-c", `cat /proc/self/uid_map; touch /data/second-up; ${wait("first-up")}`]),
  ]);
  return { first, second, maps: [mapOf(first.stdout), mapOf(second.stdout)] };
}

/** The run must have worked, in a root of its own. */
function precondition({ result, values }: Run): Verdict | undefined {
  return unexpectedExit(result) ?? rootNotChanged(values, "userns");
}

/** The host id that the container's uid 0 is, from its uid_map ("0 START SIZE"). */
function hostRoot(values: Map<string, string>): number | undefined {
  const [inside, start] = (mapOf(values.get("uid-map")) ?? "").split(" ").map(Number);
  return inside === 0 && Number.isInteger(start) ? start : undefined;
}

export const usernsChecks: StepChecks = {
  step: "userns",
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const [looked, escape, together] = await Promise.all([lookInside(c), tryEscape(c), runTogether(c)]);
        return { ...looked, escape, together };
      },
      // Every --userns run goes through all three functions: each check needs them all.
      checks: [
        {
          name: "root-inside",
          title: "With --userns, the command runs as uid 0 and gid 0 inside",
          // Four containers, each started through unshare(1), nsenter(1) and two Node processes.
          timeoutMs: 30_000,
          judge: ({ inside }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            const ids = `${inside.values.get("uid")}:${inside.values.get("gid")}`;
            return ids === "0:0" ? pass() : fail(`inside, id says uid:gid ${ids}; expected 0:0: is 0 inside mapped, for users and groups (${task("writeIdMaps")})`);
          },
        },
        {
          name: "unprivileged-on-host",
          title: "Root in the container is not root on the host: its uid_map maps 0 to the range the runtime gave it",
          judge: ({ inside }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            const map = mapOf(inside.values.get("uid-map"));
            const start = hostRoot(inside.values);
            if (start === undefined || start === 0) {
              return fail(`inside, /proc/self/uid_map says "${map ?? ""}": uid 0 in the container is ${start === 0 ? "root on the host" : "not mapped as the runtime's range"}; write "0 START SIZE" with the range's start and size (${task("writeIdMaps")})`);
            }
            return pass();
          },
        },
        {
          name: "image-owned-by-root",
          title: "The image's files belong to root inside (idmapped), not to nobody",
          judge: ({ inside }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            const owner = inside.values.get("owner");
            return owner === "0:0" ? pass() : fail(`inside, /bin/busybox is owned by ${owner}; expected 0:0: the root filesystem is not idmapped through the container's user namespace (MOUNT_ATTR_IDMAP, ${task("idmapRootfs")})`);
          },
        },
        {
          name: "owned-namespaces",
          title: "Root in the container owns its namespaces: it is PID 1, and its hostname was set",
          judge: ({ inside }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            const problems = [
              inside.values.get("pid") === "1" ? undefined : `the command's PID was ${inside.values.get("pid")}, not 1`,
              inside.values.get("hostname") === "userns-box" ? undefined : `the hostname was "${inside.values.get("hostname")}", not "userns-box" (--hostname)`,
            ].filter(Boolean);
            if (problems.length === 0) return pass();
            return fail(`${problems.join(", and ")}: the container's namespaces must be made from inside the user namespace (${task("unshareOwnedNamespaces")})`);
          },
        },
        {
          name: "volumes",
          title: "Volumes keep working: a host file reads inside, and a file written there is the range's on the host",
          judge: ({ inside, written }) => {
            const wrong = precondition(inside);
            if (wrong) return wrong;
            if (inside.values.get("read") !== "hello from the host") return fail(`the volume's file read "${inside.values.get("read") ?? ""}" inside; expected "hello from the host" (${task("writeIdMaps")})`);
            if (!written || inside.values.get("wrote") !== "0") return fail(`writing to a world-writable volume failed inside (status ${inside.values.get("wrote")}) (${task("writeIdMaps")})`);
            const start = hostRoot(inside.values);
            if (written.uid !== start) return fail(`the file the container's root wrote to the volume is owned by uid ${written.uid} on the host; expected ${start}, root's uid in its range (${task("writeIdMaps")})`);
            return pass();
          },
        },
        {
          name: "escape-cannot-write",
          title: "A chroot escape (with --privileged) writes none of the host root's files",
          judge: ({ escape }) => {
            const wrong = unexpectedExit(escape.result);
            if (wrong) return wrong;
            if (escape.victim !== "untouched\n" || escape.created) {
              return fail(`from inside, the chroot escape ${escape.created ? "made a new file in" : "wrote over"} a directory of root's on the host: root in the container acts as root on the host (${task("writeIdMaps")})`);
            }
            // Refused on the way up (the store is root's alone), or there and refused the write: either way the host is safe.
            if (escape.values.get("climbed") === "no") return pass("the climb out stopped at the store's directories, which are root's alone");
            if (escape.values.get("reached") !== "host") return fail(`the escape never reached the host's files, so this proves nothing: ${describeRun(escape.result)}: ${escape.result.stdout.trim()}`);
            return pass();
          },
        },
        {
          name: "ranges-apart",
          title: "Two containers running at once have ranges of their own",
          judge: ({ together: { first, second, maps } }) => {
            const wrong = unexpectedExit(first) ?? unexpectedExit(second);
            if (wrong) return wrong;
            if (!maps[0] || maps[0] === maps[1]) return fail(`two containers running at once both have uid_map "${maps[0] ?? ""}": their roots are the same user on the host; map each to the range the runtime gives it (${task("writeIdMaps")})`);
            return pass();
          },
        },
      ],
    }),
  ],
};
