import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { BridgeNetwork } from "./contract.js";
import { AddressPool, gatewayOf, overlaps, parseSubnet, type ClaimPool, type Subnet } from "./ipam.js";
import { containersDir, processStartTime } from "./state.js";

/** Our bridge, like Docker's docker0. */
export const BRIDGE = "cw0";
/**
 * The default subnet: clear of Docker's 172.17.0.0/16 (and its 172.18-31 pools), Podman's
 * 10.88.0.0/16 and the usual home 192.168.x.0/24 networks. Override with --subnet or CONTAINER_SUBNET.
 */
export const DEFAULT_SUBNET = "10.229.0.0/24";

/**
 * What belongs to the bridge rather than to one store, kept beside it for as long as it lives
 * (/run is emptied at boot, when the bridge is gone too): the addresses taken on it and the lock
 * for setting it up. Every store on the machine shares the bridge, so all of them look here.
 * CONTAINER_RUN_DIR moves it, for a sandbox standing in for the host with a bridge of its own.
 */
function bridgeDir(): string {
  return join(hostRunDir(), BRIDGE);
}

/** What containers of every store share on this host (addresses, id ranges): /run/container-workshop unless CONTAINER_RUN_DIR says otherwise. */
export function hostRunDir(): string {
  return resolve(process.env.CONTAINER_RUN_DIR ?? "/run/container-workshop");
}

/** The owner record of what container `id` of the store at `root` takes on the host, run by this process. */
export function ownerRecord(root: string, id: string): string {
  const record: AddressOwner = { container: join(containersDir(resolve(root)), id), pid: process.pid, start: processStartTime(process.pid) ?? "" };
  return JSON.stringify(record);
}

/** Who holds an address (or an id range): the container's state directory, and the `container run` that took it. */
export interface AddressOwner {
  container: string;
  pid: number;
  start: string;
}

export function addressPool(): AddressPool {
  return new AddressPool(join(bridgeDir(), "addresses"));
}

/** Where the host ports published on the bridge are claimed, a file each: which container holds it. */
export function portClaimsDir(): string {
  return join(bridgeDir(), "ports");
}

/** The lock under which a run creates the bridge, so that two runs, of any stores, never both do. */
export function bridgeLockPath(): string {
  return join(bridgeDir(), "setup.lock");
}

/** An owner as an address file records it; undefined for a file that is not one. */
/** Gives claim `name` of `pool` back, unless a container of another store holds it. */
export function releaseClaim(pool: ClaimPool, name: string, root: string): void {
  const owner = parseOwner(pool.owner(name));
  if (owner && dirname(owner.container) !== containersDir(resolve(root))) return;
  pool.release(name);
}

export function parseOwner(text: string | undefined): AddressOwner | undefined {
  try {
    const owner = JSON.parse(text ?? "") as Partial<AddressOwner>;
    if (typeof owner.container === "string" && typeof owner.pid === "number" && typeof owner.start === "string") return owner as AddressOwner;
  } catch {
    // not JSON
  }
  return undefined;
}

/** Takes an address for container `id` of the store at `root` (run by this process), and names its veth pair. */
export function planBridgeNetwork(root: string, subnet: string, id: string): BridgeNetwork {
  const parsed = parseSubnet(subnet);
  if (parsed.prefix < 8 || parsed.prefix > 29) {
    throw new UserError(`the container subnet ${subnet} is too large or too small`, "use a prefix from /8 to /29, e.g. 10.229.0.0/24");
  }
  refuseConflicts(parsed);
  const address = addressPool().allocate(ownerRecord(root, id), parsed);
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

/**
 * The bridge has one subnet, whichever store made it: a container given an address outside it
 * could not be reached. And a subnet over a route the host already has would cut the host off
 * from that network.
 */
function refuseConflicts(wanted: Subnet): void {
  const current = bridgeSubnet();
  if (current && current.cidr !== wanted.cidr) {
    throw new UserError(
      `the container subnet ${wanted.cidr} does not match ${current.cidr}, the subnet of the bridge ${BRIDGE} that containers already use`,
      `run with --subnet ${current.cidr}, or delete the bridge once no container runs: ip link del ${BRIDGE}`,
    );
  }
  let routes: { dst: string; dev?: string }[];
  try {
    routes = JSON.parse(execFileSync("ip", ["-j", "-4", "route", "show"], { encoding: "utf8" })) as { dst: string; dev?: string }[];
  } catch {
    throw new UserError("cannot read the host's routes with `ip -j route`", "install iproute2 (Debian/Ubuntu: apt-get install iproute2)");
  }
  for (const route of routes) {
    if (route.dst === "default" || !/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(route.dst)) continue;
    // The bridge's own route (another container, starting at the same moment, may have just made it).
    if (route.dev === BRIDGE) continue;
    if (overlaps(wanted, parseSubnet(route.dst.includes("/") ? route.dst : `${route.dst}/32`))) {
      throw new UserError(
        `the container subnet ${wanted.cidr} overlaps the host's route to ${route.dst}${route.dev ? ` on ${route.dev}` : ""}`,
        "choose another subnet with --subnet or CONTAINER_SUBNET, e.g. 10.230.0.0/24",
      );
    }
  }
}

/** The subnet of the bridge's IPv4 address, if the bridge exists and has one. */
function bridgeSubnet(): Subnet | undefined {
  if (!existsSync(`/sys/class/net/${BRIDGE}`)) return undefined;
  try {
    const links = JSON.parse(execFileSync("ip", ["-j", "-4", "addr", "show", "dev", BRIDGE], { encoding: "utf8" })) as { addr_info?: { local?: string; prefixlen?: number }[] }[];
    const address = links[0]?.addr_info?.find((a) => a.local !== undefined && a.prefixlen !== undefined);
    return address ? parseSubnet(`${address.local}/${address.prefixlen}`) : undefined;
  } catch {
    return undefined; // deleted meanwhile
  }
}
