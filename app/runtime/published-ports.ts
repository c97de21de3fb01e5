// Published ports (-p) on the host, whatever the implementation does: which container holds each
// host port, and the nat rules a container left. Like the addresses, host ports belong to the
// host's bridge, not to one store: their claims live beside it (portClaimsDir). The runtime finds
// a container's rules by the comment each of them carries (portOwner), so that a rule the
// implementation forgot, or a killed run left, is removed all the same.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { mkdirPrivate } from "../private-dir.js";
import type { PublishedPort } from "./contract.js";
import { parseOwner, portClaimsDir, type AddressOwner } from "./host-network.js";
import { containersDir, processStartTime } from "./state.js";

/** The comment on every nat rule of container `id`. */
export function portOwner(id: string): string {
  return `container-workshop:${id}`;
}

/** "8080/tcp" */
export function portName(port: PublishedPort): string {
  return `${port.hostPort}/${port.protocol}`;
}

/**
 * Claims each host port for container `id` of the store at `root` (run by this process), or
 * refuses, naming the container that holds it. A claim whose run is gone is taken over, its
 * container's rules removed first.
 */
export function claimPorts(root: string, id: string, ports: readonly PublishedPort[]): void {
  const record: AddressOwner = { container: join(containersDir(resolve(root)), id), pid: process.pid, start: processStartTime(process.pid) ?? "" };
  mkdirPrivate(portClaimsDir());
  const claimed: PublishedPort[] = [];
  try {
    for (const port of ports) {
      claim(port, record);
      claimed.push(port);
    }
  } catch (error) {
    releasePorts(root, id, claimed);
    throw error;
  }
}

function claim(port: PublishedPort, record: AddressOwner): void {
  const file = claimFile(port);
  // A claim taken over may be taken by another run at the same moment: try again, a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(record), { flag: "wx" });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = parseOwner(readClaim(file));
    if (holder && processStartTime(holder.pid) === holder.start) {
      throw new UserError(`host port ${portName(port)} is already published by container ${basename(holder.container)}`, "publish another host port, or stop that container first");
    }
    if (holder) removePortRules(basename(holder.container));
    unlinkQuietly(file);
  }
  throw new UserError(`host port ${portName(port)} is being claimed by other runs at this moment`, "try again");
}

/** Gives back the ports that container `id` of the store at `root` holds. */
export function releasePorts(root: string, id: string, ports: readonly PublishedPort[]): void {
  const container = join(containersDir(resolve(root)), id);
  for (const port of ports) {
    if (parseOwner(readClaim(claimFile(port)))?.container === container) unlinkQuietly(claimFile(port));
  }
}

/** Claims whose container has no state left and whose run has ended: their rules and the claims go. */
export function releaseOrphanPorts(): void {
  let names: string[];
  try {
    names = readdirSync(portClaimsDir());
  } catch {
    return;
  }
  for (const name of names) {
    const file = join(portClaimsDir(), name);
    const holder = parseOwner(readClaim(file));
    if (!holder) continue;
    // Still running, or its state is there for the prune of its own store to remove.
    if (processStartTime(holder.pid) === holder.start || existsSync(holder.container)) continue;
    removePortRules(basename(holder.container));
    unlinkQuietly(file);
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

function claimFile(port: PublishedPort): string {
  return join(portClaimsDir(), `${port.protocol}-${port.hostPort}`);
}

function readClaim(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}
