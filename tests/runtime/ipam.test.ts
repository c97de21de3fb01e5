import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AddressPool, gatewayOf, overlaps, parseSubnet } from "../../app/runtime/ipam.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("container addresses", () => {
  it("hands out distinct addresses after the gateway, records their owners, and takes them back", () => {
    dir = mkdtempSync(join(tmpdir(), "ipam-"));
    const pool = new AddressPool(dir, parseSubnet("10.229.0.0/29"));
    expect(gatewayOf(parseSubnet("10.229.0.0/29"))).toBe("10.229.0.1");
    const taken = ["a", "b", "c", "d", "e"].map((owner) => pool.allocate(owner));
    expect(taken).toEqual(["10.229.0.2", "10.229.0.3", "10.229.0.4", "10.229.0.5", "10.229.0.6"]);
    expect(() => pool.allocate("f")).toThrow("no free address left in 10.229.0.0/29");
    // Every address file names its owner, and no claim file is left beside them.
    expect(Object.fromEntries(pool.owners())).toEqual({ "10.229.0.2": "a", "10.229.0.3": "b", "10.229.0.4": "c", "10.229.0.5": "d", "10.229.0.6": "e" });
    expect(readdirSync(dir).filter((name) => name.startsWith("."))).toEqual([]);
    pool.release("10.229.0.3");
    expect(pool.allocate("g")).toBe("10.229.0.3");
  });

  it("parses subnets and tells when two overlap", () => {
    expect(parseSubnet("10.229.0.77/24").cidr).toBe("10.229.0.0/24");
    expect(overlaps(parseSubnet("10.229.0.0/24"), parseSubnet("10.229.0.0/16"))).toBe(true);
    expect(overlaps(parseSubnet("10.229.0.0/24"), parseSubnet("10.230.0.0/24"))).toBe(false);
    expect(() => parseSubnet("10.229.0/24")).toThrow('invalid subnet "10.229.0/24"');
  });
});
