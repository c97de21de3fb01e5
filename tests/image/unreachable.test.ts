// A registry that cannot be reached at all, at the pull's API: what counts as "nothing of it
// answered" (the only case in which busybox may be built instead, see busybox-offline.ts), and how
// the routing table says "no network". The CLI on machines without one: tests/reliability/offline.test.ts.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, inject, test } from "vitest";
import { BlobStore } from "../../app/image/blobs.js";
import { ImageDirs } from "../../app/image/images.js";
import { StoreLayout } from "../../app/image/layout.js";
import { defaultRouteIn, RegistryUnreachable } from "../../app/image/network-failure.js";
import { pullImage, type PullOptions } from "../../app/image/pull.js";
import { RefIndex } from "../../app/image/refs.js";
import { refusingHost, startFaultyRegistry } from "../helpers/registry.js";
import { tempDir } from "./support.js";

const FAST = { idleTimeoutMs: 1_000, attempts: 2, retryDelayMs: 20 };

const servers: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

/** Pulls `ref` into a fresh store, recording each time `whenUnreachable` is asked; it answers with a made-up image. */
async function pullRecording(ref: string): Promise<{ asked: RegistryUnreachable[]; outcome: unknown }> {
  const layout = new StoreLayout(tempDir("unreachable"));
  const blobs = new BlobStore(layout);
  const context = { blobs, images: new ImageDirs(layout, blobs), refs: new RefIndex(layout), timing: FAST, concurrentDownloads: 3 };
  const asked: RegistryUnreachable[] = [];
  const whenUnreachable: PullOptions["whenUnreachable"] = async (filed, error) => {
    asked.push(error);
    return { ref: filed, digest: "sha256:built-instead" };
  };
  const outcome = await pullImage(ref, context, { whenUnreachable }).catch((error: unknown) => error);
  return { asked, outcome };
}

/** A registry that answers every request 401, sending clients for a token to `realm`. */
async function challengingRegistry(realm: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(401, { "WWW-Authenticate": `Bearer realm="${realm}",service="workshop-test"` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("whenUnreachable, asked instead of failing when nothing of the registry answered", () => {
  test("is asked when the registry refuses the connection, after the retries, and its image is the pull's", async () => {
    const address = await refusingHost();
    const { asked, outcome } = await pullRecording(`${address}/workshop/busybox`);
    expect(outcome).toEqual({ ref: `${address}/workshop/busybox:latest`, digest: "sha256:built-instead" });
    expect(asked.map((e) => [e.why, e.message])).toEqual([
      ["connection refused", `cannot connect to registry ${address}: connection refused (gave up after 2 attempts)`],
    ]);
  });

  test("is not asked once the registry answered, even when its token service cannot be reached", async () => {
    const registry = await challengingRegistry(`http://${await refusingHost()}/token`);
    const { asked, outcome } = await pullRecording(`${registry}/workshop/busybox`);
    expect(asked).toEqual([]);
    expect(outcome).toBeInstanceOf(RegistryUnreachable);
    expect((outcome as Error).message).toMatch(/^cannot connect to registry 127\.0\.0\.1:\d+: connection refused/);
  });

  test("is not asked when the registry answers with an error", async () => {
    const failing = await startFaultyRegistry(inject("registryHost"), { kind: "status", status: 503 });
    servers.push(failing);
    const { asked, outcome } = await pullRecording(`${failing.host}/workshop/busybox`);
    expect(asked).toEqual([]);
    expect((outcome as Error).message).toMatch(/answered 503 Service Unavailable .* \(gave up after 2 attempts\)$/);
  });
});

describe("a default route, read from the kernel's tables", () => {
  const IPV4_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

  test("an IPv4 default route that is up counts", () => {
    const table = `${IPV4_HEADER}\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;
    expect(defaultRouteIn(table, "ipv4")).toBe(true);
  });

  test("routes to a subnet alone do not, nor does the header", () => {
    expect(defaultRouteIn(`${IPV4_HEADER}\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`, "ipv4")).toBe(false);
    expect(defaultRouteIn(`${IPV4_HEADER}\n`, "ipv4")).toBe(false);
  });

  test("the unreachable IPv6 default that lo keeps in a namespace without a network does not", () => {
    const lo = [
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
      "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo",
    ].join("\n");
    expect(defaultRouteIn(lo, "ipv6")).toBe(false);
    const gateway = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0";
    expect(defaultRouteIn(`${lo}\n${gateway}\n`, "ipv6")).toBe(true);
  });
});
