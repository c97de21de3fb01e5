// Bonus, pivot_root: the container runs on the image with the host's root detached, so that a
// classic chroot escape, which works against chroot, leads nowhere.
import { basename } from "node:path";
import { docFor, fail, notStarted, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import { describeRun, hostFilesTest, keyValues, unexpectedExit } from "./common.js";

const doc = docFor("pivot-root", "pivotRoot");

/**
 * The escape: a directory fd opened outside an inner chroot, then ".." from it, climbs as far as
 * the mount namespace goes. Under chroot that is the host's "/" (where the marker directory is);
 * under pivot_root with the old root detached, the container's own root. Done on a tmpfs over
 * /tmp, so that the image is left as it was.
 */
function escapeScript(marker: string): string {
  const up = Array.from({ length: 24 }, () => "..").join("/");
  const inner = `cd /proc/self/fd/3 && cd -P ${up} && if [ -d 'tmp/${marker}' ]; then echo escape=escaped; else echo escape=inside; fi`;
  return [
    "mount -t tmpfs tmpfs /tmp",
    "mkdir -p /tmp/x/proc /tmp/x/bin",
    "/bin/busybox cp /bin/busybox /tmp/x/bin/",
    "mount -t proc proc /tmp/x/proc",
    "exec 3</",
    `/bin/busybox chroot /tmp/x /bin/busybox sh -c "${inner}"`,
  ].join(" && ");
}

interface Seen {
  result: Result;
  values: Map<string, string>;
}

async function look(c: ProbeContext, pivot: boolean): Promise<Seen> {
  const marker = basename(c.tempDir("escape-marker"));
  const script = [
    "[ -e /etc/workshop-release ] && echo release=yes",
    hostFilesTest(c),
    'echo "cwd=$(pwd)"',
    `echo "host-cgroup-mounts=$(grep -c ' - cgroup' /proc/self/mountinfo)"`,
    // Only on the image: without a root of its own the shell would be working on the host's files.
    `if [ -e /etc/workshop-release ]; then ${escapeScript(marker)}; fi`,
    "true",
  ].join("\n");
  // --privileged: the escape mounts and chroots, which the privileges bonus step forbids. pivot_root
  // must hold even for a container that keeps all of root's power.
  const result = await c.container(["run", "--net", "none", "--privileged", ...(pivot ? ["--pivot-root"] : []), c.image, "sh", "-c", script]);
  return { result, values: keyValues(result.stdout) };
}

function precondition({ result, values }: Seen): Verdict | undefined {
  const wrong = unexpectedExit(result);
  if (wrong) return wrong;
  if (values.get("host-files") === "yes") return notStarted(`with --pivot-root the container still sees the host's files: pivotRoot() is still to write (${doc})`);
  return undefined;
}

export const pivotRootChecks: StepChecks = {
  step: "pivot-root",
  probes: [
    probe({
      run: async (c) => {
        const [pivot, chroot] = await Promise.all([look(c, true), look(c, false)]);
        return { pivot, chroot };
      },
      checks: [
        {
          name: "rootfs",
          title: "--pivot-root runs the container on the image's files",
          judge: ({ pivot }) =>
            precondition(pivot) ?? (pivot.values.get("release") === "yes" ? pass() : fail(`/etc/workshop-release, which the image has, is missing inside with --pivot-root (${doc})`)),
        },
        {
          name: "cwd",
          title: "The command starts in / of the new root",
          judge: ({ pivot }) => {
            const cwd = pivot.values.get("cwd");
            return precondition(pivot) ?? (cwd === "/" ? pass() : fail(`the command started in "${cwd}"; expected "/": chdir("/") after pivot_root (${doc})`));
          },
        },
        {
          name: "old-root-detached",
          title: "The host's old root is detached: none of its mounts is left inside",
          judge: ({ pivot }) => {
            const count = pivot.values.get("host-cgroup-mounts");
            return precondition(pivot) ?? (count === "0" ? pass() : fail(`the container's mount table still has ${count} of the host's cgroup mounts: unmount the old root (MNT_DETACH) after pivot_root (${doc})`));
          },
        },
        {
          name: "escape",
          title: "A chroot escape that gets out of chroot stays inside pivot_root",
          judge: ({ pivot, chroot }) => {
            const wrong = precondition(pivot);
            if (wrong) return wrong;
            const inPivot = pivot.values.get("escape");
            if (inPivot !== "inside") {
              return inPivot === "escaped"
                ? fail(`the escape reached the host's root from a --pivot-root container: the old root is still reachable (${doc})`)
                : fail(`the escape could not be tried under --pivot-root: ${describeRun(pivot.result)}`);
            }
            const control = chroot.values.get("escape") === "escaped" ? "escaped with chroot (expected)" : "did not escape even with chroot";
            return pass(`${control}, stayed inside with pivot_root`);
          },
        },
      ],
    }),
  ],
};
