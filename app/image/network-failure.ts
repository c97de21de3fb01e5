/**
 * Why a request never reached the registry, in words. "No network" and "no such host" both
 * surface from Node as a failed name lookup, and on many machines an offline resolver says
 * "no such name" too, so the lookup's code alone cannot tell them apart: this network namespace's
 * routes can. Without a default route the machine has no network, whatever the resolver said.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../errors.js";

/**
 * The request failed before a connection to the registry existed: nothing of it answered.
 * `why` is the cause in a few words ("no network"); `worthRetrying` says whether another try
 * a moment later may go differently.
 */
export class RegistryUnreachable extends UserError {
  constructor(
    message: string,
    hint: string,
    readonly why: string,
    readonly worthRetrying: boolean,
  ) {
    super(message, hint);
  }
}

const NO_NETWORK_HINT = "connect to a network and try again, or bring the image as a file (`docker save` on a machine with a network, then `container import`)";

// Node's codes: ENOTFOUND is getaddrinfo's EAI_NONAME (and EAI_NODATA), the resolver's "no such name".
const LOOKUP_FAILED = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL"]);
const NO_ROUTE = new Set(["ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN"]);
const TIMED_OUT = new Set(["UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);

/** The error for a request to `host` that failed with `code` before connecting, or undefined for other failures. */
export function unreachable(code: string | undefined, host: string): RegistryUnreachable | undefined {
  if (code === undefined) return undefined;
  if ((LOOKUP_FAILED.has(code) || NO_ROUTE.has(code)) && !hasDefaultRoute()) {
    return new RegistryUnreachable(`cannot reach registry ${host}: this machine has no network (no default route)`, NO_NETWORK_HINT, "no network", false);
  }
  if (code === "ENOTFOUND") {
    return new RegistryUnreachable(
      `cannot find registry host ${host}: the DNS server says no such host exists`,
      "check the spelling of the registry in the image name",
      "no such host",
      false,
    );
  }
  if (LOOKUP_FAILED.has(code)) {
    return new RegistryUnreachable(
      `cannot look up registry host ${host}: no DNS server answered`,
      "check the network connection, and the nameservers in /etc/resolv.conf",
      "no DNS server answered",
      true,
    );
  }
  if (code === "ECONNREFUSED") {
    return new RegistryUnreachable(`cannot connect to registry ${host}: connection refused`, "is the registry running, and is the address right?", "connection refused", true);
  }
  if (NO_ROUTE.has(code)) {
    return new RegistryUnreachable(`cannot connect to registry ${host}: there is no route to it`, "check the network connection, then try again", "no route to it", true);
  }
  if (TIMED_OUT.has(code)) {
    return new RegistryUnreachable(
      `cannot connect to registry ${host}: the connection timed out`,
      "check the network connection (a firewall may drop the traffic), then try again",
      "the connection timed out",
      true,
    );
  }
  return undefined;
}

/** Whether this network namespace has a usable default route, IPv4 or IPv6 (read from /proc, no traffic). */
export function hasDefaultRoute(): boolean {
  return defaultRouteIn(readProc("/proc/net/route"), "ipv4") || defaultRouteIn(readProc("/proc/net/ipv6_route"), "ipv6");
}

const RTF_UP = 0x1;
const RTF_REJECT = 0x200; // the "unreachable" routes the kernel keeps on lo

/** Whether a /proc/net/route (ipv4) or /proc/net/ipv6_route table lists a default route that is up. */
export function defaultRouteIn(table: string, family: "ipv4" | "ipv6"): boolean {
  return table.split("\n").some((line) => {
    const fields = line.trim().split(/\s+/);
    const [destination, prefix, flags] = family === "ipv4" ? [fields[1], fields[7], fields[3]] : [fields[0], fields[1], fields[8]];
    if (destination === undefined || flags === undefined || !/^0+$/.test(destination) || !/^0+$/.test(prefix ?? "")) return false;
    const bits = Number.parseInt(flags, 16);
    return (bits & RTF_UP) !== 0 && (bits & RTF_REJECT) === 0;
  });
}

function readProc(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // no IPv6 on this machine
  }
}
