// Step 3, the mount namespace and the root directory: the container lives in the image's files,
// with its own /proc, a /dev, a read-only /sys, and no mount of it reaches the host.
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import { listLeftovers } from "../probe-context.js";
import { hostFilesTest, keyValues, rootNotChanged, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("3", func);
const DEVICES = ["null", "zero", "urandom", "tty"];

interface Seen {
  result: Result;
  values: Map<string, string>;
  /** The lines of `ps -o pid,comm` inside, without its header. */
  processes: string[][];
}

const script = (hostFiles: string) =>
  [
    'echo "cwd=$(pwd)"',
    // From wherever the command started, climb: inside a proper root, ".." at / stays at /.
    'cd -P ../../../../../../../../../..; echo "climbed=$(pwd)"; [ -e etc/workshop-release ] && echo climbed-release=yes; cd /',
    "[ -e /etc/workshop-release ] && echo release=yes",
    hostFiles,
    "echo ps-start; ps -o pid,comm; echo ps-end",
    ...DEVICES.map((d) => `[ -c /dev/${d} ] && echo dev-${d}=yes`),
    "[ -d /dev/pts ] && echo dev-pts=yes",
    "echo x > /dev/null && echo dev-null-write=yes",
    "[ -d /sys/class/net ] && echo sys=mounted",
    "touch /sys/workshop-check 2>/dev/null && echo sys-write=allowed || echo sys-write=refused",
    "true",
  ].join("\n");

/** The run failed, or the root never changed: then no check of this step can say more. */
function precondition({ result, values }: Seen): Verdict | undefined {
  const refused = /after makeMountsPrivate\(\).*/.exec(result.stderr)?.[0];
  if (refused) return fail(`container refused to start it: "${refused}" (${task("makeMountsPrivate")})`);
  return unexpectedExit(result) ?? rootNotChanged(values);
}

export const step3: StepChecks = {
  step: "3",
  blame: { mount: "no-propagation" },
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const result = await c.container(["run", "--net", "none", c.image, "sh", "-c", script(hostFilesTest(c))]);
        const ps = result.stdout.split("ps-start\n")[1]?.split("ps-end")[0] ?? "";
        const processes = ps.trim().split("\n").slice(1).filter(Boolean).map((line) => line.trim().split(/\s+/));
        return { result, values: keyValues(result.stdout), processes };
      },
      checks: [
        {
          name: "image-root",
          title: "The root directory is the image's",
          judge: (seen) =>
            precondition(seen) ??
            (seen.values.get("release") === "yes" ? pass() : fail(`/etc/workshop-release, which the image has, is missing inside: the root is not the image's root filesystem (${task("changeRoot")})`)),
        },
        {
          name: "proc",
          title: "/proc is the container's own: ps sees only the container's processes",
          needs: ["makeMountsPrivate", "mountProc"],
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const pids = seen.processes.map(([pid]) => Number(pid));
            if (pids.length === 0) return fail(`ps inside listed no processes: /proc is empty, so proc was not mounted on the image's /proc (${task("mountProc")})`);
            if (pids.length > 4 || !pids.includes(1)) {
              return fail(`ps inside listed ${pids.length} processes (PIDs ${pids.slice(0, 5).join(", ")}…); expected only the container's, from PID 1: mount proc from inside the new PID namespace (${task("mountProc")})`);
            }
            return pass();
          },
        },
        {
          name: "dev",
          title: "/dev has null, zero, urandom, tty and pts, and /dev/null takes writes",
          needs: ["makeMountsPrivate", "mountDev"],
          judge: (seen) => {
            const missing = [...DEVICES, "pts"].filter((d) => seen.values.get(`dev-${d}`) !== "yes");
            if (seen.values.get("dev-null-write") !== "yes") missing.push("a writable null");
            return precondition(seen) ?? (missing.length === 0 ? pass() : fail(`/dev inside lacks ${missing.join(", ")} (${task("mountDev")})`));
          },
        },
        {
          name: "sys",
          title: "/sys is mounted, read-only",
          needs: ["makeMountsPrivate", "mountSys"],
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (seen.values.get("sys") !== "mounted") return fail(`/sys/class/net is missing inside: sysfs is not mounted on the image's /sys (${task("mountSys")})`);
            if (seen.values.get("sys-write") !== "refused") return fail(`the container could create /sys/workshop-check; expected "Read-only file system": mount sysfs with MS_RDONLY (${task("mountSys")})`);
            return pass();
          },
        },
        {
          name: "no-propagation",
          title: "No mount of the container reaches the host, even where / is shared",
          needs: ["makeMountsPrivate"],
          judge: (seen, left) => {
            if (left.length) {
              return fail(`after the run, the host had mounts it did not have before: ${listLeftovers(left)}; expected none: make every mount private, recursively, before mounting (${task("makeMountsPrivate")})`);
            }
            return precondition(seen) ?? pass();
          },
        },
        {
          name: "cwd",
          title: "The command starts in /",
          needs: ["changeRoot"],
          judge: (seen) => {
            const cwd = seen.values.get("cwd");
            return precondition(seen) ?? (cwd === "/" ? pass() : fail(`the command started in "${cwd}"; expected "/": chdir("/") after chroot (${task("changeRoot")})`));
          },
        },
        {
          name: "dotdot",
          title: '".." from the start directory stays inside the root',
          needs: ["changeRoot"],
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (seen.values.get("climbed-release") === "yes") return pass();
            return fail(`climbing ".." from the start directory led to "${seen.values.get("climbed")}", outside the image: the working directory was left outside the new root (${task("changeRoot")})`);
          },
        },
      ],
    }),
  ],
};
