import { afterEach, describe, expect, inject, test } from "vitest";
import { ImageStore } from "../../app/image/index.js";
import { UserError } from "../../app/errors.js";
import { refusingHost, startFaultyRegistry, type Fault } from "../helpers/registry.js";
import { storeSummary, tempDir } from "./support.js";

const host = inject("registryHost");
const FAST = { idleTimeoutMs: 300, attempts: 3, retryDelayMs: 20 };

const servers: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function faulty(fault: Fault) {
  const server = await startFaultyRegistry(host, fault);
  servers.push(server);
  return server;
}

/** Pulls `ref` into a fresh store and returns the error a person would see, and how long it took. */
async function failedPull(ref: string, signal?: AbortSignal): Promise<{ error: UserError; ms: number; root: string }> {
  const root = tempDir();
  const started = Date.now();
  const error = await new ImageStore(root, FAST).pull(ref, { signal }).then(
    () => expect.unreachable("the pull should have failed"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return { error: error as UserError, ms: Date.now() - started, root };
}

function expectNothingStored(root: string): void {
  const summary = storeSummary(root);
  expect(summary.images).toEqual([]);
  expect(summary.refs).toEqual([]);
  expect(summary.tmp).toEqual([]);
}

describe("registry failures become clear errors, never hangs", () => {
  test("unknown tag", async () => {
    const { error } = await failedPull(`${host}/workshop/busybox:nope`);
    expect(error.message).toBe(`tag not found: ${host}/workshop/busybox:nope does not exist on the registry`);
    expect(error.hint).toBe("Tags that do exist: latest.");
  });

  test("unknown repository", async () => {
    const { error } = await failedPull(`${host}/workshop/nothing-here`);
    expect(error.message).toBe(`image not found: ${host} has no repository "workshop/nothing-here"`);
  });

  test("401 without a bearer challenge", async () => {
    const server = await faulty({ kind: "status", status: 401 });
    const { error } = await failedPull(`${server.host}/workshop/busybox`);
    expect(error.message).toBe(`${server.host} requires authentication to pull workshop/busybox and offers no anonymous token`);
    expect(server.requests()).toBe(1);
  });

  test("5xx is retried a bounded number of times", async () => {
    const server = await faulty({ kind: "status", status: 503 });
    const { error, ms, root } = await failedPull(`${server.host}/workshop/busybox`);
    expect(error.message).toMatch(/answered 503 Service Unavailable for .* \(gave up after 3 attempts\)/);
    expect(server.requests()).toBe(3);
    expect(ms).toBeLessThan(5_000);
    expectNothingStored(root);
  });

  test("a 5xx that passes is retried into success", async () => {
    const server = await faulty({ kind: "status", status: 502, times: 2 });
    const image = await new ImageStore(tempDir(), FAST).pull(`${server.host}/workshop/busybox`);
    expect(image.layers).toHaveLength(2);
  });

  test("connection refused", async () => {
    const address = await refusingHost();
    const { error, ms } = await failedPull(`${address}/workshop/busybox`);
    expect(error.message).toBe(`cannot connect to registry ${address}: connection refused (gave up after 3 attempts)`);
    expect(ms).toBeLessThan(5_000);
  });

  test("a body cut short", async () => {
    const server = await faulty({ kind: "cut-short" });
    const { error, ms, root } = await failedPull(`${server.host}/workshop/busybox`);
    expect(error.message).toBe(`the connection to ${server.host} was cut short (gave up after 3 attempts)`);
    expect(ms).toBeLessThan(5_000);
    expectNothingStored(root);
  });

  test("a stalled response times out", async () => {
    const server = await faulty({ kind: "stall" });
    const { error, ms, root } = await failedPull(`${server.host}/workshop/busybox`);
    expect(error.message).toBe(`${server.host} stopped responding (nothing received for 300ms) (gave up after 3 attempts)`);
    expect(ms).toBeLessThan(5_000);
    expectNothingStored(root);
  });

  test("a response that trickles (never silent, but far too slow) is given up too", async () => {
    const server = await faulty({ kind: "trickle", everyMs: 20 });
    const { error, ms, root } = await failedPull(`${server.host}/workshop/busybox`);
    expect(error.message).toBe(`${server.host} is sending too slowly (less than 1024 bytes a second for 600ms) (gave up after 3 attempts)`);
    expect(ms).toBeLessThan(5_000);
    expectNothingStored(root);
  });

  test("a corrupt blob is refused by digest and not stored", async () => {
    const server = await faulty({ kind: "corrupt-blob" });
    const { error, root } = await failedPull(`${server.host}/workshop/busybox`);
    const digest = /^blob (sha256:[a-f0-9]{64}) failed verification: its content hashes to sha256:[a-f0-9]{64}$/.exec(error.message)?.[1];
    expect(digest, error.message).toBeDefined();
    expect(storeSummary(root).blobs).not.toContain(digest!.slice(7));
    expectNothingStored(root);
  });

  test("an interrupted pull leaves a consistent store and the next pull succeeds", async () => {
    const server = await faulty({ kind: "stall", minBytes: 64 << 10 }); // the busybox layer stalls half-way
    const root = tempDir();
    const controller = new AbortController();
    const store = new ImageStore(root, { ...FAST, idleTimeoutMs: 30_000 });
    const error = await store
      .pull(`${server.host}/workshop/busybox`, {
        signal: controller.signal,
        progress: { layer: (_digest, done) => done > 0 && controller.abort(), status() {} },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`pull of ${server.host}/workshop/busybox:latest was interrupted`);
    expectNothingStored(root);

    const image = await store.pull(`${host}/workshop/busybox`);
    expect(store.list().map((r) => r.digest)).toEqual([image.digest]);
    store.prune();
    expect(storeSummary(root).tmp).toEqual([]);
  });

  test("prune clears abandoned work and unused blobs", async () => {
    const server = await faulty({ kind: "corrupt-blob" });
    const { root } = await failedPull(`${server.host}/workshop/busybox`);
    const store = new ImageStore(root);
    store.prune();
    expect(storeSummary(root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
  });
});
