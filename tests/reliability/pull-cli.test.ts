// `container pull` as a real process: Ctrl-C half-way, two pulls at once, a hostile image.
// The registry errors themselves (404, 401, 5xx, refused, cut short, stalled, corrupt) are
// tested at the store's API in tests/image/registry-errors.test.ts.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { collect, CONTAINER, eventually, Workspace } from "../helpers/container.js";
import { tarLayer, writeOciLayout } from "../helpers/oci.js";
import { pushLayout, startFaultyRegistry } from "../helpers/registry.js";
import { requireRoot } from "../helpers/requirements.js";
import { listTree, storeSummary, tempDir } from "../image/support.js";
import { startOnHost, startPull } from "./host-cli.js";

const host = inject("registryHost");
const busybox = inject("busyboxRef");

beforeEach((ctx) => requireRoot(ctx));

describe("Ctrl-C during `container pull`", () => {
  const servers: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it("stops the pull with a message, leaves nothing half-stored, and the next pull finishes", async () => {
    const stalling = await startFaultyRegistry(host, { kind: "stall", minBytes: 64 << 10 }); // the busybox layer stops half-way
    servers.push(stalling);
    const root = tempDir("pull-sigint");
    const ref = `${stalling.host}/workshop/busybox:latest`;
    const child = startPull(root, ref);
    const done = collect(child);
    // Half of the big layer is in a download file under tmp/ when the user gives up.
    await eventually(() => readdirOr(join(root, "tmp")).some((name) => name.endsWith("-blob") && statSync(join(root, "tmp", name)).size > 0) || undefined);
    const interrupted = Date.now();
    child.kill("SIGINT");
    const result = await done;

    expect(Date.now() - interrupted).toBeLessThan(2_000);
    expect(result.status).toBe(130);
    expect(result.stderr.split("\n").slice(-3)).toEqual([`container: pull of ${ref} was interrupted`, "  nothing was stored; run the pull again", ""]);
    const summary = storeSummary(root);
    expect([summary.images, summary.refs, summary.tmp]).toEqual([[], [], []]);

    const next = await collect(startPull(root, busybox));
    expect(next.stderr).not.toMatch(/^container:/m);
    expect(next.status).toBe(0);
    expect(next.stdout).toMatch(new RegExp(`^${busybox}@sha256:[a-f0-9]{64}\\n$`));
    const after = storeSummary(root);
    expect([after.images.length, after.refs.length, after.tmp]).toEqual([1, 1, []]);
  });
});

describe("two `container pull` processes of the same image at once", () => {
  const ws = new Workspace();
  afterAll(() => ws.cleanUp());

  it("both succeed and leave one good copy, which runs", async () => {
    await Promise.all([ws.pull(), ws.pull()]);
    const summary = storeSummary(ws.root);
    expect([summary.images.length, summary.refs.length, summary.tmp]).toEqual([1, 1, []]);
    const result = await ws.run(["run", "--net", "none", ws.image, "cat", "/etc/workshop-release"]);
    expect(result.stdout).toBe("container-workshop test image (busybox)\n");
    expect(ws.leftovers()).toEqual([]);
  });
});

describe("`container prune` after an interrupted pull", () => {
  it("says what it freed: the verified blobs no image uses", async () => {
    const stalling = await startFaultyRegistry(host, { kind: "stall", minBytes: 64 << 10 }); // the busybox layer stops half-way
    const root = tempDir("prune-after-sigint");
    try {
      const child = startPull(root, `${stalling.host}/workshop/busybox:latest`);
      const done = collect(child);
      await eventually(() => readdirOr(join(root, "tmp")).some((name) => name.endsWith("-blob") && statSync(join(root, "tmp", name)).size > 0) || undefined);
      child.kill("SIGINT");
      expect((await done).status).toBe(130);
    } finally {
      await stalling.stop();
    }
    const kept = storeSummary(root).blobs; // the config, and the small layer if it was complete
    expect(kept.length).toBeGreaterThan(0);

    const pruned = await collect(startOnHost(root, "prune"));
    expect(pruned.stderr).toBe("");
    expect(pruned.stdout).toMatch(new RegExp(`^freed \\d+KB: ${kept.length} blobs? no image uses\n$`));
    expect(storeSummary(root).blobs).toEqual([]);
    expect((await collect(startOnHost(root, "prune"))).stdout).toBe("nothing to remove\n");
  });
});

describe("`container pull NAME:TAG@DIGEST`", () => {
  /** `container images` as NAME and TAG pairs. */
  async function listed(root: string): Promise<string[][]> {
    const result = await collect(startOnHost(root, "images"));
    return result.stdout.trim().split("\n").slice(1).map((line) => line.split(/ +/).slice(0, 2));
  }

  it("files the image by its digest, as Docker does: rmi NAME:TAG removes what images shows as NAME:TAG", async () => {
    const root = tempDir("digest-ref");
    const digest = (await collect(startPull(root, busybox))).stdout.trim().split("@")[1]!;
    const name = `${host}/workshop/busybox`;
    const pinned = await collect(startPull(root, `${busybox}@${digest}`));
    expect(pinned.stdout).toBe(`${name}@${digest}\n`);
    expect(await listed(root)).toEqual([
      [name, "<none>"],
      [name, "latest"],
    ]);

    expect((await collect(startOnHost(root, "rmi", busybox))).stdout).toBe(`removed ${busybox}\n`);
    expect(await listed(root)).toEqual([[name, "<none>"]]);
    expect((await collect(startOnHost(root, "rmi", `${busybox}@${digest}`))).stdout).toBe(`removed ${busybox}@${digest}\n`);
    expect(await listed(root)).toEqual([]);
    expect(storeSummary(root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
  });
});

describe("`container pull` onto a disk too small for the image", () => {
  /** The pull with the store on a tmpfs of `size`, in a mount namespace of its own: the machine's mounts never change. */
  async function pullOnto(size: string) {
    const root = join(tempDir("full-disk"), "store");
    mkdirSync(root);
    const mountAndPull = 'mount -t tmpfs -o size="$1" full "$CONTAINER_ROOT" && shift && exec "$@"';
    const child = spawn("unshare", ["--mount", "--propagation", "private", "sh", "-c", mountAndPull, "sh", size, process.execPath, CONTAINER, "pull", busybox], {
      env: { PATH: process.env.PATH, CONTAINER_ROOT: root, WORKSHOP_IMPL: "solutions" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const result = await collect(child);
    // The tmpfs went with the namespace; nothing was written beside it.
    expect(readdirSync(root)).toEqual([]);
    return { result, root };
  }

  it("names the blob it could not store, and the disk", async () => {
    const { result, root } = await pullOnto("256k"); // the config fits, the busybox layer does not
    expect(result.status).toBe(125);
    expect(result.stderr.split("\n").slice(-3)).toEqual([
      expect.stringMatching(new RegExp(`^container: cannot store blob sha256:[a-f0-9]{64}: the disk holding ${root} is full$`)),
      "  free some space there (`container prune` removes what no image uses), then try again",
      "",
    ]);
  });

  it("names the layer and the file it could not unpack, and the disk", async () => {
    const { result, root } = await pullOnto("1536k"); // the blobs fit, the unpacked busybox does not
    expect(result.status).toBe(125);
    expect(result.stderr.split("\n").slice(-3)).toEqual([
      expect.stringMatching(new RegExp(`^container: cannot unpack "bin/busybox" of layer [a-f0-9]{12}: the disk holding ${root}/tmp/\\S+ is full$`)),
      "  free some space there (`container prune` removes what no image uses), then try again",
      "",
    ]);
  });
});

describe("a hostile image pulled through the CLI", () => {
  /** Pushes a one-layer image to the test registry and pulls it with `container pull` into <parent>/store. */
  async function pullHostile(name: string, entries: (outside: string) => Parameters<typeof tarLayer>[0]) {
    const parent = tempDir("hostile-pull");
    const outside = join(parent, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "victim"), "original\n");
    const layout = join(parent, "layout");
    await writeOciLayout(layout, [{ layers: [await tarLayer(entries(outside))] }]);
    await pushLayout(layout, host, `workshop/${name}:latest`);
    const before = listTree(parent);
    const root = join(parent, "store");
    const result = await collect(startPull(root, `${host}/workshop/${name}`));
    // Whatever the layer says, nothing outside the store changed.
    expect(listTree(parent).filter((p) => p !== "store" && !p.startsWith("store/"))).toEqual(before);
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("original\n");
    return { result, root, outside };
  }

  it("refuses a layer that climbs out with '..', naming the layer and the entry, and stores no image", async () => {
    const { result, root } = await pullHostile("climbs-out", () => [{ name: "../../../../escaped", content: "pwned\n" }]);
    expect(result.status).toBe(125);
    expect(result.stderr.split("\n").slice(-3)).toEqual([
      expect.stringMatching(/^container: layer [a-f0-9]{12} has an unsafe entry "\.\.\/\.\.\/\.\.\/\.\.\/escaped": its path contains '\.\.'$/),
      "  the image is malformed or hostile; it was not installed",
      "",
    ]);
    const summary = storeSummary(root);
    expect([summary.images, summary.refs, summary.tmp]).toEqual([[], [], []]);
    expect(existsSync(join(root, "..", "..", "escaped"))).toBe(false);
  });

  it("keeps a write through a symlink to the outside inside the image", async () => {
    const { result, root, outside } = await pullHostile("writes-through-link", (outside) => [
      { name: "link", type: "symlink", linkname: outside },
      { name: "link/victim", content: "pwned\n" },
    ]);
    expect(result.status).toBe(0);
    const [image] = storeSummary(root).images;
    expect(readFileSync(join(root, "images", image!, "rootfs", outside, "victim"), "utf8")).toBe("pwned\n");
  });
});

function readdirOr(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
