// Bonus step: published ports. Destination NAT in iptables' nat table, as Docker does: a packet
// for HOST_PORT on one of the host's addresses gets the container's address and port instead,
// whether it came from outside (PREROUTING) or from the host itself (OUTPUT). Packets that come
// back to the bridge they came from (another container's, or the container's own: hairpin) are
// masqueraded too, so that the replies go back through the host and are translated back.
import type { BridgeNetwork, PublishedPort } from "#contract";
import { commandSucceeds, runCommand } from "#given";

export function publishPort(port: PublishedPort, net: BridgeNetwork, owner: string): void {
  for (const rule of rules(port, net, owner)) runCommand(["iptables", "-w", "-t", "nat", "-A", ...rule]);
  // Where the bridge hands its packets to iptables (br_netfilter, loaded wherever Docker runs), the
  // container's packet to itself is bridged back out of the port it came in by: hairpin mode allows it.
  runCommand(["ip", "link", "set", "dev", net.hostVeth, "type", "bridge_slave", "hairpin", "on"]);
}

export function unpublishPort(port: PublishedPort, net: BridgeNetwork, owner: string): void {
  for (const rule of rules(port, net, owner)) {
    // A rule already gone (removed by hand, or the run failed halfway) is no error.
    if (commandSucceeds(["iptables", "-w", "-t", "nat", "-C", ...rule])) runCommand(["iptables", "-w", "-t", "nat", "-D", ...rule]);
  }
}

function rules(port: PublishedPort, net: BridgeNetwork, owner: string): string[][] {
  const address = net.address.split("/")[0]!;
  const tag = ["-m", "comment", "--comment", owner];
  // Any of the host's own addresses: what `-m addrtype --dst-type LOCAL` matches.
  const dnat = ["-p", port.protocol, "-m", "addrtype", "--dst-type", "LOCAL", "--dport", String(port.hostPort), "-j", "DNAT", "--to-destination", `${address}:${port.containerPort}`];
  return [
    ["PREROUTING", ...tag, ...dnat],
    // 127.0.0.1 stays the host's own: routing it to a bridge would take route_localnet, which opens the host's loopback to the containers.
    ["OUTPUT", "!", "-d", "127.0.0.0/8", ...tag, ...dnat],
    ["POSTROUTING", "-s", net.subnet, "-d", address, "-p", port.protocol, "--dport", String(port.containerPort), "-m", "conntrack", "--ctstate", "DNAT", ...tag, "-j", "MASQUERADE"],
  ];
}
