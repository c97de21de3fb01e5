// Step 6: networking. A bridge on the host (like docker0) with NAT to the outside; each container
// gets a veth pair, one end on the bridge, the other in its network namespace as eth0.
// We drive iproute2 and iptables rather than speak netlink: the commands are the ones you would type.
import { existsSync, writeFileSync } from "node:fs";
import type { BridgeNetwork } from "#contract";
import { commandSucceeds, ipBatch, runCommand } from "#given";

export function setupBridge(net: BridgeNetwork): void {
  if (existsSync(`/sys/class/net/${net.bridge}`)) return;
  const prefix = net.subnet.split("/")[1];
  ipBatch([
    `link add ${net.bridge} type bridge`,
    `addr add ${net.gateway}/${prefix} dev ${net.bridge}`,
    `link set ${net.bridge} up`,
  ]);
  // Let the host route the containers' packets, and rewrite their source address on the way out.
  writeFileSync("/proc/sys/net/ipv4/ip_forward", "1");
  const rule = ["POSTROUTING", "-s", net.subnet, "!", "-o", net.bridge, "-j", "MASQUERADE"];
  if (!commandSucceeds(["iptables", "-t", "nat", "-C", ...rule])) runCommand(["iptables", "-t", "nat", "-A", ...rule]);
}

export function connectContainer(pid: number, net: BridgeNetwork): void {
  // Created with its peer directly in the container's namespace (by pid), so it never exists on the host.
  ipBatch([
    `link add ${net.hostVeth} type veth peer name ${net.containerVeth} netns ${pid}`,
    `link set ${net.hostVeth} master ${net.bridge} up`,
  ]);
}

export function configureContainerNetwork(net: BridgeNetwork | undefined): void {
  const commands = ["link set lo up"];
  if (net) {
    commands.push(
      `addr add ${net.address} dev ${net.containerVeth}`,
      `link set ${net.containerVeth} up`,
      `route add default via ${net.gateway}`,
    );
  }
  ipBatch(commands);
}

export function disconnectContainer(net: BridgeNetwork): void {
  // Deleting one end deletes the pair. The kernel does it too when the container's namespace
  // dies, but later: it may be gone by now, and that is fine.
  if (existsSync(`/sys/class/net/${net.hostVeth}`)) commandSucceeds(["ip", "link", "del", net.hostVeth]);
}

export function containerResolvConf(hostResolvConf: string, upstreamResolvConf: string | undefined): string {
  // A loopback nameserver (systemd-resolved's 127.0.0.53) means nothing inside another network namespace.
  const usable = (text: string) => nameservers(text).filter((ns) => !isLoopback(ns));
  const servers = usable(hostResolvConf).length
    ? usable(hostResolvConf)
    : upstreamResolvConf && usable(upstreamResolvConf).length
      ? usable(upstreamResolvConf)
      : ["8.8.8.8", "1.1.1.1"];
  const search = hostResolvConf.split("\n").filter((line) => /^(search|options)\s/.test(line));
  return [...servers.map((s) => `nameserver ${s}`), ...search, ""].join("\n");
}

function nameservers(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((ns): ns is string => ns !== undefined);
}

function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}
