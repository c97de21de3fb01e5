// Bonus, privileges: root in the container keeps only Docker's few capabilities, nothing it runs
// can gain privileges back, and a seccomp filter refuses what a container has no business calling.
// Seen from inside, as an attacker would try: /proc/self/status, mount, remounting a read-only
// volume, chroot (the first move of the classic escape), and a user namespace.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { capabilityMask, DOCKER_DEFAULT_CAPABILITIES } from "../../../native/index.js";
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import { hostFilesTest, keyValues, rootNotChanged, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("privileges", func);
const hex = (mask: bigint) => mask.toString(16).padStart(16, "0");
/** What /proc/self/status shows: Docker's set, less CAP_SYS_CHROOT when the root changed with chroot. */
const EXPECTED = {
  chroot: hex(capabilityMask(DOCKER_DEFAULT_CAPABILITIES.filter((c) => c !== "CAP_SYS_CHROOT"))),
  pivot: hex(capabilityMask(DOCKER_DEFAULT_CAPABILITIES)),
};

/** Each attempt prints `name=status`, 0 when the call went through. */
const attempt = (name: string, command: string) => `${command} >/dev/null 2>&1; echo "${name}=$?"`;

const script = (c: ProbeContext) => [
  hostFilesTest(c),
  ...["CapEff", "CapBnd", "CapPrm", "CapInh", "CapAmb", "NoNewPrivs", "Seccomp"].map((f) => `echo "${f}=$(awk '$1 == "${f}:" { print $2 }' /proc/self/status)"`),
  attempt("mount", "mount -t tmpfs tmpfs /tmp"),
  attempt("remount-ro-volume", "mount -o remount,rw /data"),
  attempt("write-ro-volume", "touch /data/written-from-inside"),
  attempt("chroot", "chroot / /bin/true"),
  attempt("new-user-namespace", "unshare -U /bin/true"),
].join("\n");

interface Run {
  result: Result;
  values: Map<string, string>;
}

interface Seen {
  /** The default: the root changed with chroot. */
  chroot: Run;
  pivot: Run;
}

async function look(c: ProbeContext, pivot: boolean): Promise<Run> {
  const host = c.tempDir(`privileges-${pivot ? "pivot" : "chroot"}`);
  writeFileSync(join(host, "from-host"), "");
  const result = await c.container(["run", "--net", "none", ...(pivot ? ["--pivot-root"] : []), "-v", `${host}:/data:ro`, c.image, "sh", "-c", script(c)]);
  return { result, values: keyValues(result.stdout) };
}

/** The run must have worked, on the image's root (the step confines containers, so it needs step 3). */
function precondition({ result, values }: Run): Verdict | undefined {
  return unexpectedExit(result) ?? rootNotChanged(values, "privileges");
}

/** `name` went through (status 0) where it must have been refused. */
function allowed(run: Run, name: string): boolean {
  return run.values.get(name) === "0";
}

export const privilegesChecks: StepChecks = {
  step: "privileges",
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const [chroot, pivot] = await Promise.all([look(c, false), look(c, true)]);
        return { chroot, pivot };
      },
      checks: [
        {
          name: "capabilities",
          title: "Root in the container keeps only Docker's default capabilities (and not CAP_SYS_CHROOT under chroot)",
          needs: ["dropCapabilities"],
          judge: ({ chroot }) => {
            const wrong = precondition(chroot);
            if (wrong) return wrong;
            const sets = ["CapEff", "CapPrm", "CapBnd"].filter((set) => chroot.values.get(set) !== EXPECTED.chroot);
            const leftOver = ["CapInh", "CapAmb"].filter((set) => !/^0+$/.test(chroot.values.get(set) ?? ""));
            if (sets.length === 0 && leftOver.length === 0) return pass();
            const shown = [...sets, ...leftOver].map((set) => `${set} ${chroot.values.get(set)}`).join(", ");
            return fail(`inside, /proc/self/status says ${shown}; expected ${EXPECTED.chroot} in CapEff, CapPrm and CapBnd (Docker's set without CAP_SYS_CHROOT) and nothing inheritable or ambient (${task("dropCapabilities")})`);
          },
        },
        {
          name: "chroot-escape",
          title: "The classic chroot escape cannot start: chroot is refused in a container rooted with chroot",
          needs: ["dropCapabilities"],
          judge: ({ chroot }) =>
            precondition(chroot) ??
            (allowed(chroot, "chroot")
              ? fail(`chroot(2) worked inside a container whose own root was made with chroot: with it, ".." from a directory outside a new chroot leads to the host; drop CAP_SYS_CHROOT there (${task("dropCapabilities")})`)
              : pass()),
        },
        {
          name: "read-only-holds",
          title: "mount fails inside, and a :ro volume cannot be remounted read-write nor written",
          needs: ["dropCapabilities"],
          judge: ({ chroot }) => {
            const wrong = precondition(chroot);
            if (wrong) return wrong;
            const went = ["mount", "remount-ro-volume", "write-ro-volume"].filter((name) => allowed(chroot, name));
            if (went.length === 0) return pass();
            const what = { mount: "mount -t tmpfs worked", "remount-ro-volume": "mount -o remount,rw of the :ro volume worked", "write-ro-volume": "a file was written to the :ro volume" };
            return fail(`inside the container ${went.map((w) => what[w as keyof typeof what]).join(", and ")}: root there still has CAP_SYS_ADMIN (${task("dropCapabilities")})`);
          },
        },
        {
          name: "no-new-privileges",
          title: "no_new_privs is set: nothing the command runs can gain privileges",
          needs: ["forbidNewPrivileges"],
          judge: ({ chroot }) =>
            precondition(chroot) ??
            (chroot.values.get("NoNewPrivs") === "1" ? pass() : fail(`NoNewPrivs is ${chroot.values.get("NoNewPrivs")} inside; expected 1: a setuid program in the image could regain what was dropped (${task("forbidNewPrivileges")})`)),
        },
        {
          name: "seccomp",
          title: "A seccomp filter refuses a call no capability guards (unshare -U, under --pivot-root)",
          // chroot itself refuses new user namespaces: the filter shows only where the root was pivoted.
          needs: ["installSeccompFilter", "pivotRoot"],
          judge: ({ pivot }) => {
            const wrong = precondition(pivot);
            if (wrong) return wrong;
            if (pivot.values.get("Seccomp") !== "2") {
              return fail(`inside, /proc/self/status says Seccomp ${pivot.values.get("Seccomp")}; expected 2 (a filter is loaded) (${task("installSeccompFilter")})`);
            }
            if (allowed(pivot, "new-user-namespace")) {
              return fail(`unshare -U worked inside: the filter lets a container make a user namespace, where it has every capability again; refuse unshare and clone with CLONE_NEW* flags (${task("installSeccompFilter")})`);
            }
            return pass();
          },
        },
        {
          name: "pivot-capabilities",
          title: "Under --pivot-root, root keeps Docker's whole default set (CAP_SYS_CHROOT is harmless there)",
          needs: ["dropCapabilities", "pivotRoot"],
          judge: ({ pivot }) =>
            precondition(pivot) ??
            (pivot.values.get("CapEff") === EXPECTED.pivot
              ? pass()
              : fail(`with --pivot-root, CapEff inside is ${pivot.values.get("CapEff")}; expected ${EXPECTED.pivot}, Docker's default set (${task("dropCapabilities")})`)),
        },
      ],
    }),
  ],
};
