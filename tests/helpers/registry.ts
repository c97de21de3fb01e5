/**
 * Registries for tests, all on 127.0.0.1:
 * - startRegistry(): Debian's docker-registry (distribution 2.8) with storage in a temp dir.
 * - pushLayout(): pushes an OCI image layout to it over the distribution API (monolithic uploads).
 * - startTokenAuthProxy(): a front that demands a bearer token it hands out at its own realm.
 * - startFaultyRegistry(): a front that injects failures (status codes, cut-short, stalled, corrupt blobs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MediaType } from "../../app/image/manifest.js";

const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface RunningRegistry {
  host: string; // "127.0.0.1:PORT"
  stop(): Promise<void>;
}

/** Starts docker-registry on a free loopback port and waits until /v2/ answers. */
export async function startRegistry(): Promise<RunningRegistry> {
  if (!existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} is missing: install Debian's docker-registry package`);
  const dir = await mkdtemp(join(tmpdir(), "workshop-registry-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await writeFile(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log:",
      "  level: warn",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir, "data")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${host}`,
      "",
    ].join("\n"),
  );
  const log = openSync(join(dir, "registry.log"), "w");
  const child = spawn(REGISTRY_BINARY, ["serve", join(dir, "config.yml")], { stdio: ["ignore", log, log] });
  closeSync(log);
  const stop = async () => {
    await killAndWait(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`http://${host}/v2/`, child);
  } catch (error) {
    const output = await readFile(join(dir, "registry.log"), "utf8").catch(() => "");
    await stop();
    throw new Error(`docker-registry did not start: ${(error as Error).message}\n${output}`);
  }
  return { host, stop };
}

/** Pushes the first image of an OCI layout (an index is pushed with its children) as repo:tag. */
export async function pushLayout(layoutDir: string, host: string, repoAndTag: string): Promise<void> {
  const [repository, tag = "latest"] = repoAndTag.split(":") as [string, string?];
  const blob = (digest: string) => readFile(join(layoutDir, "blobs", "sha256", digest.slice(7)));
  const index = JSON.parse(await readFile(join(layoutDir, "index.json"), "utf8")) as { manifests: Descriptor[] };
  const top = index.manifests[0];
  if (!top) throw new Error(`${layoutDir}/index.json lists no manifests`);

  const pushManifest = async (descriptor: Descriptor, reference: string): Promise<void> => {
    const body = await blob(descriptor.digest);
    const doc = JSON.parse(body.toString("utf8")) as { mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    for (const child of doc.manifests ?? []) await pushManifest(child, child.digest);
    for (const part of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) await pushBlob(host, repository, part.digest, await blob(part.digest));
    const mediaType = descriptor.mediaType ?? doc.mediaType ?? MediaType.ociManifest;
    await expectStatus(
      await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, { method: "PUT", headers: { "Content-Type": mediaType }, body }),
      201,
      `pushing manifest ${descriptor.digest}`,
    );
  };
  await pushManifest(top, tag);
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
}

export async function pushBlob(host: string, repository: string, digest: string, data: Buffer): Promise<void> {
  const exists = await fetch(`http://${host}/v2/${repository}/blobs/${digest}`, { method: "HEAD" });
  if (exists.status === 200) return;
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: "POST" });
  await expectStatus(start, 202, `starting upload of ${digest}`);
  const location = new URL(start.headers.get("location")!, `http://${host}`);
  location.searchParams.set("digest", digest);
  await expectStatus(
    await fetch(location, { method: "PUT", headers: { "Content-Type": "application/octet-stream" }, body: data }),
    201,
    `uploading ${digest}`,
  );
}

/** A proxy in front of `upstream` that wants `Authorization: Bearer <token>`, issued at /token. */
export async function startTokenAuthProxy(upstream: string): Promise<{ host: string; tokensIssued: () => number; stop(): Promise<void> }> {
  const token = `workshop-${Math.random().toString(36).slice(2)}`;
  let issued = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/token") {
      if (url.searchParams.get("service") !== "workshop-test" || !url.searchParams.get("scope")) {
        res.writeHead(400).end();
        return;
      }
      issued++;
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const repository = url.pathname.match(/^\/v2\/(.+?)\/(?:manifests|blobs)\//)?.[1] ?? "";
      res
        .writeHead(401, {
          "WWW-Authenticate": `Bearer realm="http://${host}/token",service="workshop-test",scope="repository:${repository}:pull"`,
          "Content-Type": "application/json",
        })
        .end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
      return;
    }
    proxy(req, res, upstream);
  });
  const host = await listen(server);
  return { host, tokensIssued: () => issued, stop: () => close(server) };
}

export type Fault =
  | { kind: "status"; status: number; times?: number } // answer every request (or the first `times`) with `status`
  | { kind: "cut-short" } // blob bodies: half the bytes, then the connection is dropped
  | { kind: "stall"; minBytes?: number } // blob bodies (of blobs at least minBytes long): half the bytes, then silence until stop()
  | { kind: "corrupt-blob" } // blob bodies: full length, but one byte flipped
  | { kind: "trickle"; everyMs: number }; // blob bodies: one byte every `everyMs`, never silent for long

/** A proxy in front of `upstream` that misbehaves as `fault` says; counts the requests it saw. */
export async function startFaultyRegistry(upstream: string, fault: Fault): Promise<{ host: string; requests: () => number; stop(): Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const isBlob = /\/blobs\/sha256:/.test(req.url ?? "");
    if (fault.kind === "status") {
      if (fault.times === undefined || requests <= fault.times) res.writeHead(fault.status, { "Content-Type": "application/json" }).end("{}");
      else proxy(req, res, upstream);
      return;
    }
    if (!isBlob) return proxy(req, res, upstream);
    void (async () => {
      const upstreamResponse = await fetch(`http://${upstream}${req.url}`);
      const body = Buffer.from(await upstreamResponse.arrayBuffer());
      if (fault.kind === "stall" && body.length < (fault.minBytes ?? 0)) {
        res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(body);
        return;
      }
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
      if (fault.kind === "trickle") {
        let sent = 0;
        const drip = setInterval(() => {
          if (res.destroyed || sent >= body.length) return clearInterval(drip);
          res.write(body.subarray(sent, ++sent));
        }, fault.everyMs);
        res.on("close", () => clearInterval(drip));
      } else if (fault.kind === "corrupt-blob") {
        const middle = body.length >> 1;
        body.writeUInt8(body.readUInt8(middle) ^ 0xff, middle);
        res.end(body);
      } else {
        res.write(body.subarray(0, body.length >> 1));
        if (fault.kind === "cut-short") setTimeout(() => res.destroy(), 20);
      }
    })();
  });
  const host = await listen(server);
  return { host, requests: () => requests, stop: () => close(server) };
}

/** A loopback address where nothing listens: connections to it are refused. */
export async function refusingHost(): Promise<string> {
  return `127.0.0.1:${await freePort()}`;
}

function proxy(req: IncomingMessage, res: ServerResponse, upstream: string): void {
  const [hostname, port] = upstream.split(":");
  const forward = request({ hostname, port: Number(port), path: req.url, method: req.method, headers: { ...req.headers, host: upstream } }, (upstreamRes) => {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    upstreamRes.pipe(res);
  });
  forward.on("error", () => res.destroy());
  req.pipe(forward);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const server = createServer();
  const host = await listen(server);
  await close(server);
  return Number(host.split(":")[1]);
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`${url} did not answer within 15s`);
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(5_000).then(() => child.kill("SIGKILL"))]);
  await exited;
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) throw new Error(`${what}: registry answered ${response.status} ${await response.text()}`);
}
