// The ports bonus step's checks against implementations with one mistake each (copies of
// solutions/): the check meant for the mistake catches it and says what it saw.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allWaitingFor, described, inProgress, mutant, mutantsWorkspace, partial } from "./support.js";

const workspace = mutantsWorkspace("mutants-ports");
const { impls } = workspace;

const failures = (impl: string) => workspace.failures("ports", impl);

/** Whether this machine's bridges hand their packets to iptables (br_netfilter), which changes what a missing rule breaks. */
const BRIDGE_NETFILTER = existsSync("/proc/sys/net/bridge/bridge-nf-call-iptables") && readFileSync("/proc/sys/net/bridge/bridge-nf-call-iptables", "utf8").trim() === "1";

const OUTPUT_RULE = '    ["OUTPUT", "!", "-d", "127.0.0.0/8", ...tag, ...dnat],\n';
const MASQUERADE_RULE =
  '    ["POSTROUTING", "-s", net.subnet, "-d", address, "-p", port.protocol, "--dport", String(port.containerPort), "-m", "conntrack", "--ctstate", "DNAT", ...tag, "-j", "MASQUERADE"],\n';

describe.concurrent("the ports bonus step", () => {
  it("written whole, passes; back to TODOs, every check is not started and names the first it needs", async () => {
    expect(await failures(mutant(impls, "ports.ts", []))).toEqual({});
    const failed = await failures(inProgress(impls, "ports"));
    expect(described(failed)).toEqual(allWaitingFor("ports", "publishPort"));
  });

  it("the network step still to do: every check is not started, and says step 6 comes first", async () => {
    const failed = await failures(inProgress(impls, "network"));
    expect(Object.keys(failed)).toHaveLength(5);
    for (const result of Object.values(failed)) {
      expect(result).toMatchObject({ status: "not-started", message: "the container got no address on the bridge, so -p cannot work: step 6 comes first (docs/06-network.md)" });
    }
  });

  it("unpublishPort still a TODO: only the check of what is left is not started", async () => {
    const failed = await failures(partial(impls, "ports.ts", "unpublishPort"));
    expect(described(failed)).toEqual([
      "ports.rules-removed: not-started: the ports bonus step is not done yet: unpublishPort() is still a TODO",
    ]);
  });

  it("no OUTPUT rule: only the host itself gets no answer", async () => {
    const failed = await failures(mutant(impls, "ports.ts", [[OUTPUT_RULE, ""]]));
    expect(Object.keys(failed)).toEqual(["ports.from-host"]);
    expect(failed["ports.from-host"]!.message).toBe(
      "connecting to 10.229.0.1:8080 (a host address, port 8080 published as -p 8080:80) from the host itself got no answer; expected \"port-server\", from the container's port 80 (the host's own connections go through the nat table's OUTPUT chain, not PREROUTING: docs/bonus-ports.md, Task 1)",
    );
  });

  it("no MASQUERADE: the host is answered, the container calling itself is not (nor, where the bridge does not hand its packets to iptables, other containers)", async () => {
    const failed = await failures(mutant(impls, "ports.ts", [[MASQUERADE_RULE, ""]]));
    expect(Object.keys(failed).sort()).toEqual(BRIDGE_NETFILTER ? ["ports.hairpin"] : ["ports.from-container", "ports.hairpin"]);
    expect(failed["ports.hairpin"]!.message).toMatch(/^connecting to 10\.229\.0\.1:8080 .* from the container itself got no answer; .*masquerade it/);
  });

  it("no hairpin mode: only the container calling itself gets no answer (where the bridge hands packets to iptables)", async () => {
    const failed = await failures(mutant(impls, "ports.ts", [['  runCommand(["ip", "link", "set", "dev", net.hostVeth, "type", "bridge_slave", "hairpin", "on"]);\n', ""]]));
    // Without br_netfilter a hairpin packet is routed, not bridged: it needs no hairpin mode.
    expect(Object.keys(failed)).toEqual(BRIDGE_NETFILTER ? ["ports.hairpin"] : []);
  });

  it("always tcp: the UDP check finds no rule for UDP 5353", async () => {
    const failed = await failures(mutant(impls, "ports.ts", [['const dnat = ["-p", port.protocol,', 'const dnat = ["-p", "tcp",']]));
    expect(Object.keys(failed)).toEqual(["ports.udp"]);
    expect(failed["ports.udp"]!.message).toBe(
      "while the container ran, the nat table had 0 DNAT rule(s) sending UDP port 5353 to the container's port 53, and 2 sending TCP port 8080 to 80; expected as many for each: use the port's protocol, not always tcp (docs/bonus-ports.md, Task 1)",
    );
  });

  it("rules never removed: the check says what was left, though the runtime removed it after", async () => {
    const failed = await failures(mutant(impls, "ports.ts", [['if (commandSucceeds(["iptables", "-w", "-t", "nat", "-C", ...rule])) runCommand(["iptables", "-w", "-t", "nat", "-D", ...rule]);', "void rule, commandSucceeds;"]]));
    expect(Object.keys(failed)).toEqual(["ports.rules-removed"]);
    expect(failed["ports.rules-removed"]!.message).toMatch(/^after the container exited, the nat table still had 6 of its rules \(the workshop removed them after\): -A PREROUTING .*\(docs\/bonus-ports.md, Task 2\)$/);
  });
});
