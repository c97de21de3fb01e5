// Step 2, PID and UTS namespaces: the command is PID 1 of its own PID namespace, sees none of the
// host's processes, and has a hostname of its own that leaves the host's alone.
import { docFor, fail, notStarted, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import { SANDBOX_HOSTNAME } from "../../sandbox/sandbox.js";
import type { ProbeContext } from "../probe-context.js";
import { keyValues, unexpectedExit } from "./common.js";

const HOSTNAME = "check-host-1";
const flags = docFor("2", "namespaceFlags");
const setHostname = docFor("2", "setHostname");
const KINDS = ["uts", "pid", "mnt"] as const;

/** Prints the command's namespaces, so the checks can tell whether there are any of its own. */
const PRINT_NAMESPACES = KINDS.map((kind) => `echo "ns-${kind}=$(readlink /proc/self/ns/${kind})"`).join("; ");

interface Seen {
  result: Result;
  values: Map<string, string>;
  /** The sandbox's (the host's) namespaces. */
  host: Record<(typeof KINDS)[number], string>;
}

async function look(c: ProbeContext, args: string[], script: string): Promise<Seen> {
  const result = await c.container(["run", "--net", "none", ...args, c.image, "sh", "-c", `${script}; ${PRINT_NAMESPACES}`]);
  const host = { uts: c.sandbox.namespace("uts"), pid: c.sandbox.namespace("pid"), mnt: c.sandbox.namespace("mnt") };
  return { result, values: keyValues(result.stdout), host };
}

/** Not started while the command runs in the host's namespaces, all of them; or the run failed. */
function precondition({ result, values, host }: Seen): Verdict | undefined {
  const failed = unexpectedExit(result);
  if (failed) return failed;
  if (KINDS.every((kind) => values.get(`ns-${kind}`) === host[kind])) {
    return notStarted(`the command runs in the host's namespaces: namespaceFlags() and spawnInNamespaces() are still to write (${docFor("2")}, Tasks 1 and 2)`);
  }
  return undefined;
}

/** Whether the hostname inside is `expected`, and if not, the likeliest reason. */
function hostnameVerdict(seen: Seen & { hostBefore?: string }, expected: string | RegExp, shown: string): Verdict {
  const inside = seen.values.get("hostname") ?? "";
  if (typeof expected === "string" ? inside === expected : expected.test(inside)) return pass();
  const theirs = inside === SANDBOX_HOSTNAME ? " (the host's)" : "";
  const shared = seen.result.events?.some((e) => e.event === "shared-namespace" && e.namespace === "uts");
  const why = shared ? `container says the init process shares the host's UTS namespace: is CLONE_NEWUTS in namespaceFlags()? (${flags})` : `setHostname() did not set it (${setHostname})`;
  return fail(`the hostname inside was "${inside}"${theirs}; expected ${shown}: ${why}`);
}

export const step2: StepChecks = {
  step: "2",
  probes: [
    probe({
      run: async (c) => {
        const script = `echo "pid=$$"; echo "hostname=$(hostname)"; kill -0 ${c.sandbox.pid} 2>/dev/null && echo host-pid=visible || echo host-pid=hidden`;
        const seen = await look(c, ["--hostname", HOSTNAME], script);
        return { ...seen, hostAfter: await c.sandbox.currentHostname(), hostBefore: c.sandbox.hostname, hostPid: c.sandbox.pid };
      },
      checks: [
        {
          name: "pid-one",
          title: "The command is PID 1 of a PID namespace of its own",
          judge: (seen) => {
            const pid = seen.values.get("pid");
            return precondition(seen) ?? (pid === "1" ? pass() : fail(`the command's PID was ${pid}; expected 1: the init process is not the first of a new PID namespace (CLONE_NEWPID, ${flags})`));
          },
        },
        {
          name: "host-processes-hidden",
          title: "The host's processes are out of the container's reach",
          judge: (seen) =>
            precondition(seen) ??
            (seen.values.get("host-pid") === "hidden"
              ? pass()
              : fail(`from inside, kill -0 ${seen.hostPid} (a host process) succeeded; expected "no such process": the container shares the host's PID namespace (CLONE_NEWPID, ${flags})`)),
        },
        {
          name: "hostname-inside",
          title: "--hostname sets the hostname inside the container",
          judge: (seen) => precondition(seen) ?? hostnameVerdict(seen, HOSTNAME, `"${HOSTNAME}"`),
        },
        {
          name: "host-hostname-unchanged",
          title: "The host's hostname stays as it was",
          judge: (seen) =>
            precondition(seen) ??
            (seen.hostAfter === seen.hostBefore
              ? pass()
              : fail(`after the run the host's hostname was "${seen.hostAfter}"; expected "${seen.hostBefore}": sethostname ran in the host's UTS namespace (CLONE_NEWUTS, ${flags})`)),
        },
      ],
    }),
    probe({
      run: (c) => look(c, [], 'echo "hostname=$(hostname)"'),
      checks: [
        {
          name: "hostname-default",
          title: "Without --hostname, the hostname is the container's id (12 hex digits)",
          judge: (seen) => precondition(seen) ?? hostnameVerdict(seen, /^[0-9a-f]{12}$/, "the container's id, 12 hex digits"),
        },
      ],
    }),
  ],
};
