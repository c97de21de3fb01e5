// Step 6, networking: each container gets eth0 on the host's bridge, with its own address, a
// route out and a usable resolv.conf; the host side has the bridge, forwarding and NAT, and no
// veth outlives its container. The sandbox's network namespace plays the host's.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BRIDGE, DEFAULT_SUBNET } from "../../runtime/host-network.js";
import { gatewayOf, overlaps, parseSubnet } from "../../runtime/ipam.js";
import { docFor, fail, pass, probe, type StepChecks, type Verdict } from "../define.js";
import type { Result } from "../harness.js";
import { listLeftovers } from "../probe-context.js";
import { describeRun, keyValues, unexpectedExit } from "./common.js";

const task = (func: string) => docFor("6", func);
const GATEWAY = gatewayOf(parseSubnet(DEFAULT_SUBNET));
// What systemd-resolved hosts have: a nameserver that means nothing in another network namespace.
const LOOPBACK_RESOLV_CONF = "nameserver 127.0.0.53\nsearch workshop.test\n";

interface Seen {
  result: Result;
  values: Map<string, string>;
  /** `ip -o -4 addr show` inside, by interface. */
  addresses: Map<string, string>;
  routes: string[];
  loLink: string;
  nameservers: string[];
  /** On the host, after the run. */
  host: { interfaces: string[]; forwarding: string; nat: string; bridgeAddress: string };
}

const SCRIPT = [
  "ip -o -4 addr show | while read -r n name _ address _; do echo \"addr-$name=$address\"; done",
  'echo "lo-link=$(ip -o link show lo)"',
  "ip route | sed 's/^/route=/'",
  `ping -c 1 -W 2 ${GATEWAY} >/dev/null 2>&1 && echo gateway-ping=ok`,
  "ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1 && echo lo-ping=ok",
  "sed -n 's/^nameserver[[:space:]]*/nameserver=/p' /etc/resolv.conf",
  "true",
].join("\n");

function addressIn(value: string | undefined): string | undefined {
  const address = value?.split("/")[0];
  if (!address || !/^\d+\.\d+\.\d+\.\d+$/.test(address)) return undefined;
  return overlaps(parseSubnet(`${address}/32`), parseSubnet(DEFAULT_SUBNET)) ? address : undefined;
}

function precondition({ result }: Seen): Verdict | undefined {
  return unexpectedExit(result);
}

export const step6: StepChecks = {
  step: "6",
  blame: { interface: "veth-removed" },
  probes: [
    probe({
      run: async (c): Promise<Seen> => {
        // The sandbox gets a resolv.conf like a systemd-resolved host's, which must not reach the container.
        const resolvConf = join(c.tempDir("resolv"), "resolv.conf");
        writeFileSync(resolvConf, LOOPBACK_RESOLV_CONF);
        const bound = await c.sandbox.exec("mount", ["--bind", resolvConf, "/etc/resolv.conf"]);
        if (bound.status !== 0) throw new Error(`cannot give the sandbox a resolv.conf: ${bound.stderr.trim()}`);
        c.sandbox.takeBaseline();
        const result = await c.container(["run", c.image, "sh", "-c", SCRIPT]);
        const hostSide = await c.sandbox.exec("sh", [
          "-c",
          `cat /proc/sys/net/ipv4/ip_forward; iptables -t nat -S POSTROUTING 2>&1 | grep MASQUERADE; echo; ip -o -4 addr show dev ${BRIDGE} 2>/dev/null | awk '{print $4}'`,
        ]);
        const [forwarding = "", nat = "", , bridgeAddress = ""] = hostSide.stdout.split("\n");
        const lines = result.stdout.split("\n");
        const values = keyValues(result.stdout);
        return {
          result,
          values,
          addresses: new Map([...values].filter(([key]) => key.startsWith("addr-")).map(([key, value]) => [key.slice("addr-".length), value])),
          routes: lines.filter((l) => l.startsWith("route=")).map((l) => l.slice("route=".length)),
          loLink: values.get("lo-link") ?? "",
          nameservers: lines.filter((l) => l.startsWith("nameserver=")).map((l) => l.slice("nameserver=".length).trim()),
          host: { interfaces: c.sandbox.interfaces(), forwarding: forwarding.trim(), nat: nat.trim(), bridgeAddress: bridgeAddress.trim() },
        };
      },
      checks: [
        {
          name: "eth0",
          title: `eth0 has an address in the containers' subnet (${DEFAULT_SUBNET})`,
          judge: (seen) => {
            const address = seen.addresses.get("eth0");
            const wrong = precondition(seen);
            if (wrong) return wrong;
            if (!address) return fail(`the container has no IPv4 address on eth0 (interfaces with one: ${[...seen.addresses.keys()].join(", ") || "none"}) (${task("configureContainerNetwork")})`);
            const ip = addressIn(address);
            if (!ip || ip === GATEWAY) return fail(`eth0 has ${address}; expected an address of ${DEFAULT_SUBNET} other than the gateway ${GATEWAY} (${task("configureContainerNetwork")})`);
            return pass();
          },
        },
        {
          name: "lo-up",
          title: "lo is up: 127.0.0.1 answers inside",
          judge: (seen) =>
            precondition(seen) ??
            (seen.values.get("lo-ping") === "ok" && /[<,]UP[,>]/.test(seen.loLink)
              ? pass()
              : fail(`lo is down inside the container (flags ${/<[^>]*>/.exec(seen.loLink)?.[0] ?? "unknown"}), so 127.0.0.1 does not answer; expected it up: a new network namespace starts with lo down (${task("configureContainerNetwork")})`)),
        },
        {
          name: "default-route",
          title: `The default route goes via the bridge (${GATEWAY})`,
          judge: (seen) => {
            const route = seen.routes.find((r) => r.startsWith("default"));
            return precondition(seen) ?? (route?.startsWith(`default via ${GATEWAY} `) ? pass() : fail(`the default route inside is ${route ? `"${route}"` : "missing"}; expected "default via ${GATEWAY} dev eth0" (${task("configureContainerNetwork")})`));
          },
        },
        {
          name: "ping-gateway",
          title: "The bridge answers the container's ping",
          judge: (seen) =>
            precondition(seen) ??
            (seen.values.get("gateway-ping") === "ok"
              ? pass()
              : fail(`ping ${GATEWAY} from inside got no answer: the veth must be on the bridge and up at both ends, and the bridge must have ${GATEWAY} (${task("connectContainer")})`)),
        },
        {
          name: "host-side",
          title: "The host has the bridge with the gateway address, forwarding on, and NAT for the subnet",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const { host } = seen;
            const problems = [
              host.interfaces.includes(BRIDGE) ? undefined : `no bridge ${BRIDGE}`,
              host.bridgeAddress === `${GATEWAY}/${DEFAULT_SUBNET.split("/")[1]}` ? undefined : `${BRIDGE} has address "${host.bridgeAddress}", expected ${GATEWAY}/${DEFAULT_SUBNET.split("/")[1]}`,
              host.forwarding === "1" ? undefined : `ip_forward is ${host.forwarding || "unreadable"}, expected 1`,
              host.nat.includes(`-s ${DEFAULT_SUBNET}`) ? undefined : `no MASQUERADE rule for ${DEFAULT_SUBNET} in the nat table's POSTROUTING chain`,
            ].filter(Boolean);
            return problems.length ? fail(`on the host: ${problems.join("; ")} (${task("setupBridge")})`) : pass();
          },
        },
        {
          name: "veth-removed",
          title: "The container's veth is gone once it exits",
          judge: (seen, left) =>
            left.length
              ? fail(`after the container exited, the host still had ${listLeftovers(left)} (the workshop removed it) (${task("disconnectContainer")})`)
              : (precondition(seen) ?? pass()),
        },
        {
          name: "resolv-conf",
          title: "resolv.conf names nameservers, none on 127.x, even when the host's does",
          judge: (seen) => {
            const wrong = precondition(seen);
            if (wrong) return wrong;
            const loopback = seen.nameservers.filter((ns) => ns.startsWith("127.") || ns === "::1");
            if (seen.nameservers.length === 0) return fail(`the container's /etc/resolv.conf names no nameserver (${task("containerResolvConf")})`);
            if (loopback.length) return fail(`the container's /etc/resolv.conf names ${loopback.join(", ")}, copied from the host's; a loopback nameserver answers nothing in the container's network namespace (${task("containerResolvConf")})`);
            return pass();
          },
        },
      ],
    }),
    probe({
      // Two containers at once, each holding on until both have printed their address.
      run: async (c) => {
        const runs = [0, 1].map(() => c.start(["run", c.image, "sh", "-c", "ip -o -4 addr show eth0; echo listed; read -t 8 line; true"]));
        await Promise.all(runs.map((run) => run.waitFor(/^listed$/m)));
        for (const run of runs) run.end();
        return Promise.all(runs.map((run) => run.done));
      },
      checks: [
        {
          name: "two-containers",
          title: "Two containers running at once get different addresses",
          judge: (results) => {
            const failed = results.find((r) => r.status !== 0);
            if (failed) return fail(`${describeRun(failed)} (expected 0)`);
            const addresses = results.map((r) => / inet (\S+)/.exec(r.stdout)?.[1]);
            if (addresses.some((a) => a === undefined)) return fail(`one of the containers had no address on eth0 (${task("configureContainerNetwork")})`);
            return addresses[0] === addresses[1] ? fail(`both containers got ${addresses[0]}`) : pass();
          },
        },
      ],
    }),
  ],
};
