// Bonus, ports: `container run -p` makes a container's port reachable on the host's addresses.
// Seen from the three places a connection can come from (the host itself, another container,
// the container itself), then in the host's nat table once the container is gone. The sandbox's
// network namespace plays the host's; the server is busybox's nc, answering with its hostname.
import { DEFAULT_SUBNET } from "../../runtime/host-network.js";
import { gatewayOf, parseSubnet } from "../../runtime/ipam.js";
import { docFor, fail, notStarted, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import type { ProbeContext } from "../probe-context.js";
import { describeRun, keyValues } from "./common.js";

const task = (func: string) => docFor("ports", func);
/** One of the host's addresses: the bridge's own. */
const HOST = gatewayOf(parseSubnet(DEFAULT_SUBNET));
const SERVER = "port-server";
/** `nc` to HOST:8080, waiting at most 5 s to connect; what it read goes after `name=`. */
const connect = (name: string) => `nc -w 5 ${HOST} 8080 </dev/null | sed 's/^/${name}=/'`;

// The server answers each connection to port 80 with its hostname; once it listens, it connects
// to itself through the host's port 8080 (hairpin), then waits until the probe closes its stdin.
const SERVE = [
  "nc -ll -p 80 -e hostname &",
  'until netstat -ltn | grep -q ":80 "; do sleep 0.05; done',
  "echo ready",
  connect("hairpin"),
  "read -r _",
].join("\n");

interface Seen {
  server: Result;
  ready: boolean;
  fromHost: Result;
  fromContainer: Result;
  /** `iptables -t nat -S` while the server ran, and once it had exited. */
  natWhileRunning: string;
  natAfter: string;
}

const nat = async (c: ProbeContext) => (await c.sandbox.exec("iptables", ["-w", "-t", "nat", "-S"])).stdout;

/** The connection came through, and the server answered: its hostname is what was read. */
function answered(read: string | undefined, where: string, hint: string): Verdict {
  if (read === SERVER) return pass();
  return fail(`connecting to ${HOST}:8080 (a host address, port 8080 published as -p 8080:80) from ${where} ${read ? `read "${read}"` : "got no answer"}; expected "${SERVER}", from the container's port 80 (${hint})`);
}

function precondition({ server, ready }: Seen): Verdict | undefined {
  // Ports lead to an address on the bridge: without step 6 there is none.
  if (server.events?.some((e) => (e.event === "todo" || e.event === "skipped") && e.step === "6")) {
    return notStarted(`the container got no address on the bridge, so -p cannot work: step 6 comes first (${docFor("6")})`);
  }
  if (!ready) return fail(`the server container never started listening: ${describeRun(server)}`);
  return undefined;
}

export const portsChecks: StepChecks = {
  step: "ports",
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        const run = c.start(["run", "--hostname", SERVER, "-p", "8080:80", "-p", "5353:53/udp", c.image, "sh", "-c", SERVE]);
        const ready = await run.waitFor(/^ready$/m);
        const [fromHost, fromContainer] = ready
          ? await Promise.all([c.sandbox.exec("sh", ["-c", `busybox ${connect("host")}`]), c.container(["run", c.image, "sh", "-c", connect("container")])])
          : [undefined, undefined];
        const natWhileRunning = await nat(c);
        // The server connects to itself (its nc gives up after 5 s), then reads its stdin to the end.
        run.end();
        const server = await run.done;
        const none: Result = { status: null, signal: null, stdout: "", stderr: "" };
        return { server, ready, fromHost: fromHost ?? none, fromContainer: fromContainer ?? none, natWhileRunning, natAfter: await nat(c) };
      },
      checks: [
        {
          name: "from-host",
          needs: ["publishPort"],
          // Two containers, one after the other, and connections that may each wait 5 s.
          timeoutMs: 20_000,
          title: "The published port answers on a host address, from the host itself",
          judge: (seen) =>
            precondition(seen) ?? answered(keyValues(seen.fromHost.stdout).get("host"), "the host itself", `the host's own connections go through the nat table's OUTPUT chain, not PREROUTING: ${task("publishPort")}`),
        },
        {
          name: "from-container",
          needs: ["publishPort"],
          title: "Another container reaches it through the host's address",
          judge: (seen) =>
            precondition(seen) ??
            answered(keyValues(seen.fromContainer.stdout).get("container"), "another container", `its answer goes straight back over the bridge unless the connection is masqueraded: ${task("publishPort")}`),
        },
        {
          name: "hairpin",
          needs: ["publishPort"],
          title: "The container reaches itself through its published port (hairpin)",
          judge: (seen) =>
            precondition(seen) ??
            answered(
              keyValues(seen.server.stdout).get("hairpin"),
              "the container itself",
              `masquerade it, and put the container's bridge port in hairpin mode, or the bridge will not send a packet back out of the port it came in by: ${task("publishPort")}`,
            ),
        },
        {
          name: "udp",
          needs: ["publishPort"],
          title: "-p 5353:53/udp publishes a UDP port: the host's nat table sends UDP 5353 to the container's 53 as it sends TCP 8080 to 80",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const dnat = (protocol: string, from: number, to: number) =>
              seen.natWhileRunning.split("\n").filter((rule) => rule.includes(` -p ${protocol} `) && rule.includes(`--dport ${from} `) && rule.endsWith(`:${to}`) && rule.includes(" -j DNAT ")).length;
            const [tcp, udp] = [dnat("tcp", 8080, 80), dnat("udp", 5353, 53)];
            return udp > 0 && udp === tcp
              ? pass()
              : fail(`while the container ran, the nat table had ${udp} DNAT rule(s) sending UDP port 5353 to the container's port 53, and ${tcp} sending TCP port 8080 to 80; expected as many for each: use the port's protocol, not always tcp (${task("publishPort")})`);
          },
        },
        {
          name: "rules-removed",
          needs: ["publishPort", "unpublishPort"],
          title: "The container's rules are gone from the nat table once it exits",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const left = seen.natAfter.split("\n").filter((rule) => rule.includes("container-workshop:"));
            return left.length === 0
              ? pass()
              : fail(`after the container exited, the nat table still had ${left.length} of its rules (the workshop removed them after): ${left[0]} (${task("unpublishPort")})`);
          },
        },
      ],
    }),
  ],
};
