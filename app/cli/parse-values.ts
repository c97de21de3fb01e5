// Parsing of the values people type after run's options. Each failure says what was wrong and
// what is accepted, and exits 125 like every other runtime error.
import { existsSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { isAbsolute, normalize } from "node:path";
import { UserError } from "../errors.js";
import type { NetworkMode, PublishedPort, Volume } from "../runtime/contract.js";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "100M", "1g", "512k", "1.5G" or plain bytes. */
export function parseMemory(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(text.trim());
  const bytes = match ? Math.floor(Number(match[1]) * (UNITS[match[2]!.toLowerCase()] ?? NaN)) : NaN;
  if (!Number.isFinite(bytes)) throw new UserError(`invalid --memory "${text}"`, "give a size such as 64M, 512m or 1G");
  // Below this the container's own init cannot even start its command.
  if (bytes < 6 * 2 ** 20) throw new UserError(`--memory ${text} is too small`, "the minimum is 6M");
  // A limit above the machine's memory would never apply.
  if (bytes > totalmem()) throw new UserError(`--memory ${text} is more than this machine has`, "give at most its total memory (`free -h` shows it)");
  return bytes;
}

export function parseCpus(text: string): number {
  const cpus = Number(text);
  const max = availableParallelism();
  if (!/^\d*\.?\d+$/.test(text.trim()) || !(cpus > 0)) throw new UserError(`invalid --cpus "${text}"`, "give a positive number of CPUs, e.g. 0.5 or 2");
  if (cpus < 0.01) throw new UserError(`--cpus ${text} is too small`, "the minimum is 0.01 CPU");
  if (cpus > max) throw new UserError(`--cpus ${text} is more than this machine has`, `it has ${max} CPU${max === 1 ? "" : "s"}: give at most ${max}`);
  return cpus;
}

/**
 * The init process joins the cgroup before the command starts, and until then it is Node:
 * its threads (4) and the `ip` it runs count as tasks. Below this the command could not start.
 */
export const MIN_PIDS = 8;
/** The kernel's own ceiling on process ids (PID_MAX_LIMIT on 64-bit machines): pids.max takes nothing higher. */
const MAX_PIDS = 4_194_304;

export function parsePids(text: string): number {
  const pids = Number(text);
  if (!/^\d+$/.test(text.trim())) throw new UserError(`invalid --pids "${text}"`, "give a whole number of processes, e.g. 64");
  if (pids < MIN_PIDS) throw new UserError(`--pids ${text} is too small`, `the minimum is ${MIN_PIDS}: until the command starts, the runtime's own init process (Node, with its threads) counts too`);
  if (pids > MAX_PIDS) throw new UserError(`--pids ${text} is more than the kernel allows`, `the maximum is ${MAX_PIDS}`);
  return pids;
}

/** HOST:CONTAINER[:ro|:rw] */
export function parseVolume(text: string): Volume {
  const parts = text.split(":");
  const [source, target, mode] = parts;
  const usage = "the form is -v /host/path:/container/path[:ro]";
  if (parts.length < 2 || parts.length > 3 || !source || !target) throw new UserError(`invalid volume "${text}"`, usage);
  if (mode !== undefined && mode !== "ro" && mode !== "rw") throw new UserError(`invalid volume mode "${mode}" in "${text}"`, "the mode is ro (read-only) or rw (the default)");
  if (!isAbsolute(source)) throw new UserError(`volume host path "${source}" is not absolute`, `give the full path, e.g. ${process.cwd()}/${source.replace(/^\.\//, "")}`);
  if (!existsSync(source)) throw new UserError(`volume host path "${source}" does not exist`, "create it first, or check the spelling");
  if (!isAbsolute(target)) throw new UserError(`volume container path "${target}" is not absolute`, "paths inside the container start with /, e.g. /data");
  const normalized = normalize(target);
  if (normalized === "/") throw new UserError(`volume container path "${target}" would hide the whole root filesystem`, "mount it below /, e.g. /data");
  return { source: normalize(source), target: normalized, readOnly: mode === "ro" };
}

export function parseNetwork(text: string): NetworkMode {
  if (text === "none" || text === "host" || text === "bridge") return text;
  throw new UserError(`invalid --net "${text}"`, "choose none, host or bridge");
}

export function parseHostname(text: string): string {
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,62})$/.test(text)) {
    throw new UserError(`invalid --hostname "${text}"`, "use letters, digits, dots and dashes, at most 63 characters, starting with a letter or digit");
  }
  return text;
}

export function parseEnv(text: string): string {
  if (!/^[^=\s]+=/.test(text)) {
    const value = process.env[text];
    if (value === undefined) throw new UserError(`invalid -e "${text}"`, "give NAME=value, or the name of a variable set in your environment");
    return `${text}=${value}`;
  }
  return text;
}

/** HOST_PORT:CONTAINER_PORT[/tcp|/udp], each given once; only on the bridge network. */
export function parsePorts(texts: string[], network: NetworkMode): PublishedPort[] {
  const ports = texts.map(parsePort);
  if (ports.length && network !== "bridge") {
    throw new UserError(`-p needs the bridge network, not --net ${network}`, network === "host" ? "with --net host the container's ports are the host's already: drop -p" : "drop --net none (bridge is the default)");
  }
  const seen = new Set<string>();
  for (const port of ports) {
    const name = `${port.hostPort}/${port.protocol}`;
    if (seen.has(name)) throw new UserError(`host port ${name} is published twice`, "give each host port once");
    seen.add(name);
  }
  return ports;
}

function parsePort(text: string): PublishedPort {
  const usage = "the form is -p HOST_PORT:CONTAINER_PORT[/udp], e.g. -p 8080:80 or -p 5353:53/udp";
  const match = /^([^:/]+):([^:/]+)(?:\/(.*))?$/.exec(text);
  if (!match) throw new UserError(`invalid -p "${text}"`, usage);
  const [, host = "", container = "", protocol = "tcp"] = match;
  if (protocol !== "tcp" && protocol !== "udp") throw new UserError(`invalid protocol "${protocol}" in -p "${text}"`, "the protocol is tcp (the default) or udp");
  const number = (port: string) => {
    if (!/^\d+$/.test(port)) throw new UserError(`invalid port "${port}" in -p "${text}"`, usage);
    const value = Number(port);
    if (value < 1 || value > 65535) throw new UserError(`port ${port} in -p "${text}" is not between 1 and 65535`, usage);
    return value;
  };
  return { protocol, hostPort: number(host), containerPort: number(container) };
}
