// Published ports (-p) on the host, whatever the implementation does: which container holds each
// host port, and the nat rules a container left. Like the addresses, host ports belong to the
// host's bridge, not to one store: their claims live beside it (portClaimsDir). The runtime finds
// a container's rules by the comment each of them carries (portOwner), so that a rule the
// implementation forgot, or a killed run left, is removed all the same.
import { execFileSync } from "node:child_process";
import { basename, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import type { PublishedPort } from "./contract.js";
import { ClaimPool } from "./ipam.js";
import { ownerRecord, parseOwner, portClaimsDir } from "./host-network.js";
import { containersDir, processStartTime } from "./state.js";

/** The comment on every nat rule of container `id`. */
export function portOwner(id: string): string {
  return `container-workshop:${id}`;
}

/** "8080/tcp" */
export function portName(port: PublishedPort): string {
  return `${port.hostPort}/${port.protocol}`;
}

/** The host ports' claims, one a port, beside the bridge (see ClaimPool). */
export function portPool(): ClaimPool {
  return new ClaimPool(portClaimsDir());
}

/**
 * Claims each host port for container `id` of the store at `root` (run by this process), or
 * refuses, naming the container that holds it. A claim whose run is gone is taken over, its
 * container's rules removed first.
 */
export function claimPorts(root: string, id: string, ports: readonly PublishedPort[]): void {
  const owner = ownerRecord(root, id);
  const pool = portPool();
  const claimed: PublishedPort[] = [];
  try {
    for (const port of ports) {
      claim(pool, port, owner);
      claimed.push(port);
    }
  } catch (error) {
    releasePorts(root, id, claimed);
    throw error;
  }
}

function claim(pool: ClaimPool, port: PublishedPort, owner: string): void {
  // A claim taken over may be taken by another run at the same moment: try again, a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (pool.claim(owner, [claimName(port)])) return;
    const holder = parseOwner(pool.owner(claimName(port)));
    if (holder && processStartTime(holder.pid) === holder.start) {
      throw new UserError(`host port ${portName(port)} is already published by container ${basename(holder.container)}`, "publish another host port, or stop that container first");
    }
    if (holder) removePortRules(basename(holder.container));
    pool.release(claimName(port));
  }
  throw new UserError(`host port ${portName(port)} is being claimed by other runs at this moment`, "try again");
}

/** Gives back the ports that container `id` of the store at `root` holds. */
export function releasePorts(root: string, id: string, ports: readonly PublishedPort[]): void {
  const container = join(containersDir(resolve(root)), id);
  const pool = portPool();
  for (const port of ports) {
    if (parseOwner(pool.owner(claimName(port)))?.container === container) pool.release(claimName(port));
  }
}

/** The nat rules that container `id` still has, as `iptables -S` prints them. */
export function portRules(id: string): string[] {
  let listed: string;
  try {
    listed = execFileSync("iptables", ["-w", "-t", "nat", "-S"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return []; // no iptables, no rules
  }
  const owner = portOwner(id);
  return listed.split("\n").filter((line) => {
    const args = words(line);
    return args[0] === "-A" && args.some((arg, i) => arg === owner && args[i - 1] === "--comment");
  });
}

/** Removes every nat rule of container `id`. */
export function removePortRules(id: string): void {
  for (const rule of portRules(id)) {
    try {
      execFileSync("iptables", ["-w", "-t", "nat", "-D", ...words(rule).slice(1)], { stdio: "ignore" });
    } catch {
      // removed meanwhile
    }
  }
}

/** A line of `iptables -S` as arguments: words, or "quoted strings" (with \" inside). */
function words(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!));
}

function claimName(port: PublishedPort): string {
  return `${port.protocol}-${port.hostPort}`;
}
