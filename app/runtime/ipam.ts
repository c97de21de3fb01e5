import { randomBytes } from "node:crypto";
import { linkSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { mkdirPrivate } from "../private-dir.js";

/** An IPv4 subnet in CIDR form, parsed. */
export interface Subnet {
  cidr: string;
  base: number;
  prefix: number;
}

export function parseSubnet(cidr: string): Subnet {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    throw new UserError(`invalid subnet "${cidr}"`, "give an IPv4 subnet in CIDR form, e.g. 10.229.0.0/24");
  }
  const base = (octets.reduce((acc, o) => (acc << 8) | o, 0) & maskOf(prefix)) >>> 0;
  return { cidr: `${toAddress(base)}/${prefix}`, base, prefix };
}

export function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** The bridge's own address: the first in the subnet. */
export function gatewayOf(subnet: Subnet): string {
  return toAddress(subnet.base + 1);
}

/**
 * Hands out names (addresses, id ranges) to owners. Each name taken is a file in `dir` naming its
 * owner, created with link(2) from a file already holding the owner: the kernel makes that atomic,
 * so containers started at the same moment never share a name, nobody ever sees a name's file
 * without its owner (which prune would take for an orphan), and no lock is left behind if a run is killed.
 */
export class ClaimPool {
  constructor(private readonly dir: string) {}

  /** The first of `names` nobody holds, now held by `owner`; undefined when all are taken. */
  claim(owner: string, names: Iterable<string>): string | undefined {
    mkdirPrivate(this.dir);
    const claim = join(this.dir, `.claim-${process.pid}-${randomBytes(6).toString("hex")}`);
    writeFileSync(claim, owner);
    try {
      for (const name of names) {
        try {
          linkSync(claim, join(this.dir, name));
          return name;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
      }
      return undefined;
    } finally {
      unlinkSync(claim);
    }
  }

  release(name: string): void {
    try {
      unlinkSync(join(this.dir, name));
    } catch {
      // already released
    }
  }

  /** The owner that took `name`; undefined while it is free. */
  owner(name: string): string | undefined {
    try {
      return readFileSync(join(this.dir, name), "utf8");
    } catch {
      return undefined;
    }
  }

  /** Names taken, with the owner that took each. */
  owners(): Map<string, string> {
    const taken = new Map<string, string>();
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return taken;
    }
    for (const name of names.filter((entry) => !entry.startsWith("."))) {
      const owner = this.owner(name);
      if (owner !== undefined) taken.set(name, owner); // else released meanwhile
    }
    return taken;
  }
}

/** Container addresses in a subnet, from the first after the gateway's. */
export class AddressPool extends ClaimPool {
  allocate(owner: string, subnet: Subnet): string {
    const address = this.claim(owner, addressesOf(subnet));
    if (address) return address;
    throw new UserError(`no free address left in ${subnet.cidr}`, "stop some containers, run `container prune`, or choose a larger subnet");
  }
}

function* addressesOf(subnet: Subnet): Generator<string> {
  const hosts = 2 ** (32 - subnet.prefix) - 2;
  for (let n = 2; n <= hosts; n++) yield toAddress(subnet.base + n);
}
