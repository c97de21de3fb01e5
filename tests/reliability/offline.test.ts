// The course's image on a machine that cannot reach Docker Hub: `container run busybox` and
// `container pull busybox` build busybox from this machine's /bin/busybox and say so in one line;
// anything else, and a busybox that came from elsewhere, get the network error. The machines are
// sandboxes (tests/reliability/offline-machines.ts): nothing is sent beyond them.
// The error rows (no network, no DNS answer, no such host, no /bin/busybox) are in docs/bad-input.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ImageStore } from "../../app/image/index.js";
import { collect, Workspace, type Result } from "../helpers/container.js";
import { tarLayer, writeOciLayout } from "../helpers/oci.js";
import { requireRoot } from "../helpers/requirements.js";
import { storeSummary, tempDir } from "../image/support.js";
import { startOnHost } from "./host-cli.js";
import { runOn } from "./offline-machines.js";

const PULLING = "Pulling docker.io/library/busybox:latest\n";
const BUILT = "container: no network: busybox:latest was built from this machine's /bin/busybox (busybox-static) instead of pulled\n";
const NO_NETWORK = [
  "container: cannot reach registry registry-1.docker.io: this machine has no network (no default route)",
  "  connect to a network and try again, or bring the image as a file (`docker save` on a machine with a network, then `container import`)",
  "",
].join("\n");

let ws: Workspace;
beforeEach((ctx) => {
  requireRoot(ctx);
  ws = new Workspace();
});
afterEach(() => {
  expect(ws.leftovers()).toEqual([]);
  expect(storeSummary(ws.root).tmp).toEqual([]);
  ws.cleanUp();
});

/** The ref of busybox:latest in the workspace's store, and the image's config as its blob has it. */
function storedBusybox() {
  const image = new ImageStore(ws.root).resolve("busybox:latest");
  if (!image) return undefined;
  const { configDigest } = JSON.parse(readFileSync(join(ws.root, "images", image.digest.slice(7), "image.json"), "utf8")) as { configDigest: string };
  const config = JSON.parse(readFileSync(join(ws.root, "blobs", "sha256", configDigest.slice(7)), "utf8")) as { config: { Labels?: Record<string, string> } };
  return { image, labels: config.config.Labels ?? {} };
}

async function images(): Promise<string> {
  const result = await collect(startOnHost(ws.root, "images"));
  expect(result.stderr).toBe("");
  return result.stdout;
}

function expectSucceeded(result: Result, stdout: string, stderr = ""): void {
  expect(result.stderr).toBe(stderr);
  expect(result.stdout).toBe(stdout);
  expect(result.status).toBe(0);
}

describe("busybox on a machine without a network", () => {
  it("`container run busybox` in a fresh store builds busybox from /bin/busybox, says so in one line, and runs the command", async () => {
    const first = await runOn(ws, {}, ["run", "--net", "none", "busybox", "echo", "hello from a container"]);
    expectSucceeded(first, "hello from a container\n", PULLING + BUILT);

    const stored = storedBusybox()!;
    expect(readFileSync(join(stored.image.rootfs, "bin", "busybox")).equals(readFileSync("/bin/busybox"))).toBe(true);
    expect(stored.image.builtFrom).toBe("/bin/busybox (busybox-static)");
    expect(stored.labels["org.opencontainers.image.description"]).toMatch(/from \/bin\/busybox .*not Docker Hub's busybox image$/);
    expect(await images()).toMatch(/^busybox +latest +[0-9a-f]{12} +\S+ +built here from \/bin\/busybox \(busybox-static\), not pulled$/m);

    // Built once: the next run starts at once, and says nothing.
    expectSucceeded(await runOn(ws, {}, ["run", "--net", "none", "busybox", "sh", "-c", "echo $0"]), "sh\n");
  });

  it("`container pull busybox` prints the line and the ref; pulled again, it is the same image", async () => {
    const first = await runOn(ws, {}, ["pull", "busybox"]);
    expect(first.stdout).toMatch(/^docker\.io\/library\/busybox:latest@sha256:[0-9a-f]{64}\n$/);
    expectSucceeded(first, first.stdout, PULLING + BUILT);
    expectSucceeded(await runOn(ws, {}, ["pull", "busybox:latest"]), first.stdout, PULLING + BUILT);
    const store = storeSummary(ws.root);
    expect([store.images.length, store.refs.length]).toEqual([1, 1]);
  });

  it("a busybox:latest that came from elsewhere is never replaced by a build: the pull fails with the network error", async () => {
    const layout = tempDir("offline-imported");
    await writeOciLayout(layout, [{ layers: [await tarLayer([{ name: "hello", content: "imported\n" }])] }]);
    expect((await collect(startOnHost(ws.root, "import", layout, "--tag", "busybox:latest"))).status).toBe(0);
    const before = storedBusybox()!.image;

    const pulled = await runOn(ws, {}, ["pull", "busybox"]);
    expect(pulled.stderr).toBe(PULLING + NO_NETWORK);
    expect(pulled.status).toBe(125);
    const after = storedBusybox()!.image;
    expect(after.digest).toBe(before.digest);
    expect(after.builtFrom).toBeUndefined();
    expect(await images()).not.toContain("built here");
  });

  it("only busybox:latest is built: busybox:1.36 and alpine get the network error, and nothing is stored", async () => {
    for (const ref of ["busybox:1.36", "alpine"]) {
      const result = await runOn(ws, {}, ["run", "--net", "none", ref, "true"]);
      expect(result.stderr).toBe(`Pulling docker.io/library/${ref.includes(":") ? ref : `${ref}:latest`}\n${NO_NETWORK}`);
      expect(result.status).toBe(125);
    }
    const store = storeSummary(ws.root);
    expect([store.images, store.refs, store.blobs]).toEqual([[], [], []]);
  });
});

describe("a resolver that says a name does not exist", () => {
  it("while there is no network (as some do offline): the error says no network, and busybox is built", async () => {
    const alpine = await runOn(ws, { dns: "nxdomain" }, ["pull", "alpine"]);
    expect(alpine.stderr).toBe(`Pulling docker.io/library/alpine:latest\n${NO_NETWORK}`);
    expect(alpine.status).toBe(125);
    expectSucceeded(await runOn(ws, { dns: "nxdomain" }, ["run", "--net", "none", "busybox", "true"]), "", PULLING + BUILT);
  });

  it("with a network that does not lead to Docker Hub: busybox is built, and the line says why", async () => {
    const result = await runOn(ws, { network: true, dns: "nxdomain" }, ["pull", "busybox"]);
    expect(result.stderr).toBe(
      `${PULLING}container: cannot reach Docker Hub (no such host): busybox:latest was built from this machine's /bin/busybox (busybox-static) instead of pulled\n`,
    );
    expect(result.status).toBe(0);
  });
});
