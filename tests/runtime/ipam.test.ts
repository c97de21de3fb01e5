// Container addresses: handed out by link(2) so that no two containers share one, and kept per
// host, beside the bridge, since every store on the machine plugs its containers into that bridge.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pruneContainers, releaseAddress } from "../../app/runtime/cleanup.js";
import { addressPool } from "../../app/runtime/host-network.js";
import { AddressPool, gatewayOf, overlaps, parseSubnet } from "../../app/runtime/ipam.js";
import { StateStore } from "../../app/runtime/state.js";
import { collect, CONTAINER, Workspace } from "../helpers/container.js";
import { requireProgram, requireRoot } from "../helpers/requirements.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("container addresses", () => {
  it("hands out distinct addresses after the gateway, records their owners, and takes them back", () => {
    dir = mkdtempSync(join(tmpdir(), "ipam-"));
    const subnet = parseSubnet("10.229.0.0/29");
    const pool = new AddressPool(dir);
    expect(gatewayOf(subnet)).toBe("10.229.0.1");
    const taken = ["a", "b", "c", "d", "e"].map((owner) => pool.allocate(owner, subnet));
    expect(taken).toEqual(["10.229.0.2", "10.229.0.3", "10.229.0.4", "10.229.0.5", "10.229.0.6"]);
    expect(() => pool.allocate("f", subnet)).toThrow("no free address left in 10.229.0.0/29");
    // Every address file names its owner, and no claim file is left beside them.
    expect(Object.fromEntries(pool.owners())).toEqual({ "10.229.0.2": "a", "10.229.0.3": "b", "10.229.0.4": "c", "10.229.0.5": "d", "10.229.0.6": "e" });
    expect(readdirSync(dir).filter((name) => name.startsWith("."))).toEqual([]);
    pool.release("10.229.0.3");
    expect(pool.allocate("g", subnet)).toBe("10.229.0.3");
  });

  it("parses subnets and tells when two overlap", () => {
    expect(parseSubnet("10.229.0.77/24").cidr).toBe("10.229.0.0/24");
    expect(overlaps(parseSubnet("10.229.0.0/24"), parseSubnet("10.229.0.0/16"))).toBe(true);
    expect(overlaps(parseSubnet("10.229.0.0/24"), parseSubnet("10.230.0.0/24"))).toBe(false);
    expect(() => parseSubnet("10.229.0/24")).toThrow('invalid subnet "10.229.0/24"');
  });
});

describe("addresses of several stores on one host", () => {
  const runDirBefore = process.env.CONTAINER_RUN_DIR;
  afterEach(() => {
    if (runDirBefore === undefined) delete process.env.CONTAINER_RUN_DIR;
    else process.env.CONTAINER_RUN_DIR = runDirBefore;
  });

  /** Two stores and the run directory they share, like /run on a real host. */
  function twoStores(): { a: string; b: string } {
    dir = mkdtempSync(join(tmpdir(), "ipam-stores-"));
    process.env.CONTAINER_RUN_DIR = join(dir, "run");
    return { a: join(dir, "a"), b: join(dir, "b") };
  }

  /** An address taken for container `id` of the store at `root`, by a run that has ended. */
  function reserve(root: string, id: string): string {
    const owner = { container: join(root, "containers", id), pid: 2 ** 22 + 1, start: "0" };
    return addressPool().allocate(JSON.stringify(owner), parseSubnet("10.229.0.0/24"));
  }

  it("a store gives back only the addresses its own containers hold", () => {
    const { a, b } = twoStores();
    const address = reserve(a, "0123456789ab");
    releaseAddress(b, { bridge: "cw0", subnet: "10.229.0.0/24", gateway: "10.229.0.1", address: `${address}/24`, hostVeth: "veth01234567", containerVeth: "eth0" });
    expect([...addressPool().owners().keys()]).toEqual([address]);
    releaseAddress(a, { bridge: "cw0", subnet: "10.229.0.0/24", gateway: "10.229.0.1", address: `${address}/24`, hostVeth: "veth01234567", containerVeth: "eth0" });
    expect([...addressPool().owners().keys()]).toEqual([]);
  });

  it("prune in any store releases an address whose container's state is gone, and keeps the others' state's", () => {
    const { a, b } = twoStores();
    new StateStore(a).create({ id: "aaaaaaaaaaaa", image: "x", imageDigest: `sha256:${"0".repeat(64)}`, command: [], hostname: "x", created: "", owner: { pid: 0, start: "" } });
    const kept = reserve(a, "aaaaaaaaaaaa"); // store a has not pruned its dead container yet: its state is there
    const orphan = reserve(join(dir, "deleted-store"), "bbbbbbbbbbbb");
    expect(pruneContainers(new StateStore(b), b)).toEqual({ containers: [], images: [] });
    expect([...addressPool().owners().keys()]).toEqual([kept]);
    expect(orphan).not.toBe(kept);
  });
});

describe("on a host with one bridge", () => {
  const ws = new Workspace();
  const second = join(ws.root, "second-store");
  beforeAll(async () => {
    await ws.pull();
    const pulled = await collect(spawn(process.execPath, [CONTAINER, "pull", ws.image], { env: { PATH: process.env.PATH, CONTAINER_ROOT: second, WORKSHOP_IMPL: "solutions" } }));
    if (pulled.status !== 0) throw new Error(`pull failed: ${pulled.stderr}`);
  });
  afterEach(() => {
    expect(ws.leftovers()).toEqual([]);
    expect(readdirSync(join(second, "containers"))).toEqual([]);
  });
  afterAll(() => ws.cleanUp());

  it("two stores running containers at the same time give them different addresses", async (ctx) => {
    requireRoot(ctx);
    requireProgram(ctx, "ip", "iproute2");
    const shared = join(ws.root, "addresses-seen");
    mkdirSync(shared);
    // Each container writes its address, then waits until the other has written its own: both
    // run at once, in stores of their own, on the one bridge of the sandbox.
    const inContainer = (mine: string, theirs: string) =>
      `ip -4 addr show dev eth0 | grep inet > /shared/${mine}; for i in $(seq 400); do [ -e /shared/${theirs} ] && exit 0; sleep 0.05; done; exit 1`;
    const result = await ws.script(
      [
        `$CONTAINER run -v ${shared}:/shared ${ws.image} sh -c '${inContainer("a", "b")}' &`,
        `$CONTAINER --root ${second} run -v ${shared}:/shared ${ws.image} sh -c '${inContainer("b", "a")}' &`,
        `wait %1 && wait %2 && cat ${shared}/a ${shared}/b`,
      ].join("\n"),
      { timeout: 40_000 },
    );
    expect(result.stderr).toBe("");
    const addresses = [...result.stdout.matchAll(/inet (10\.229\.0\.\d+)\/24/g)].map((m) => m[1]);
    expect(addresses).toHaveLength(2);
    expect(new Set(addresses).size).toBe(2);
  });
});
