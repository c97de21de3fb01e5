import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { BridgeNetwork } from "./contract.js";
import { AddressPool, gatewayOf, overlaps, parseSubnet, type Subnet } from "./ipam.js";

/** Our bridge, like Docker's docker0. */
export const BRIDGE = "cw0";
/**
 * The default subnet: clear of Docker's 172.17.0.0/16 (and its 172.18-31 pools), Podman's
 * 10.88.0.0/16 and the usual home 192.168.x.0/24 networks. Override with --subnet or CONTAINER_SUBNET.
 */
export const DEFAULT_SUBNET = "10.229.0.0/24";

export function addressPool(root: string, subnet: string): AddressPool {
  const parsed = parseSubnet(subnet);
  return new AddressPool(join(root, "network", parsed.cidr.replace("/", "_")), parsed);
}

/** Takes an address for container `id` and names its veth pair. */
export function planBridgeNetwork(root: string, subnet: string, id: string): BridgeNetwork {
  const parsed = parseSubnet(subnet);
  if (parsed.prefix < 8 || parsed.prefix > 29) {
    throw new UserError(`the container subnet ${subnet} is too large or too small`, "use a prefix from /8 to /29, e.g. 10.229.0.0/24");
  }
  if (!existsSync(`/sys/class/net/${BRIDGE}`)) refuseOverlappingRoutes(parsed);
  const address = addressPool(root, subnet).allocate(id);
  return {
    bridge: BRIDGE,
    subnet: parsed.cidr,
    gateway: gatewayOf(parsed),
    address: `${address}/${parsed.prefix}`,
    // Interface names have at most 15 characters.
    hostVeth: `veth${id.slice(0, 8)}`,
    containerVeth: "eth0",
  };
}

/** A subnet that overlaps a route the host already has would make that network unreachable. */
function refuseOverlappingRoutes(wanted: Subnet): void {
  let routes: { dst: string; dev?: string }[];
  try {
    routes = JSON.parse(execFileSync("ip", ["-j", "-4", "route", "show"], { encoding: "utf8" })) as { dst: string; dev?: string }[];
  } catch {
    throw new UserError("cannot read the host's routes with `ip -j route`", "install iproute2 (Debian/Ubuntu: apt-get install iproute2)");
  }
  for (const route of routes) {
    if (route.dst === "default" || !/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(route.dst)) continue;
    // Our own bridge's route: another container, starting at the same moment, has just made it.
    if (route.dev === BRIDGE) continue;
    if (overlaps(wanted, parseSubnet(route.dst.includes("/") ? route.dst : `${route.dst}/32`))) {
      throw new UserError(
        `the container subnet ${wanted.cidr} overlaps the host's route to ${route.dst}${route.dev ? ` on ${route.dev}` : ""}`,
        "choose another subnet with --subnet or CONTAINER_SUBNET, e.g. 10.230.0.0/24",
      );
    }
  }
}
