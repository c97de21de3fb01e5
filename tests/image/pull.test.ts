import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { describe, expect, inject, test } from "vitest";
import { ImageStore, type ImageRecord } from "../../app/image/index.js";
import { hostPlatform } from "../../app/image/manifest.js";
import { BUSYBOX_APPLETS, BUSYBOX_CONFIG, WORKSHOP_RELEASE } from "../../app/image/busybox-image.js";
import { nestInIndex, tarLayer, writeOciLayout } from "../helpers/oci.js";
import { pushLayout, startTokenAuthProxy } from "../helpers/registry.js";
import { storeSummary, tempDir } from "./support.js";

const busybox = inject("busyboxRef");
const host = inject("registryHost");

function expectBusyboxRootfs(image: ImageRecord): void {
  const rootfs = image.rootfs;
  expect(lstatSync(join(rootfs, "bin/busybox")).mode & 0o777).toBe(0o755);
  for (const applet of BUSYBOX_APPLETS) expect(readlinkSync(join(rootfs, "bin", applet))).toBe("busybox");
  expect(lstatSync(join(rootfs, "tmp")).mode & 0o7777).toBe(0o1777);
  expect(readFileSync(join(rootfs, "etc/workshop-release"), "utf8")).toBe(WORKSHOP_RELEASE);
  expect(existsSync(join(rootfs, "etc/motd"))).toBe(false); // layer 2's whiteout
  expect(readdirSync(join(rootfs, "var/cache"))).toEqual(["fresh"]); // layer 2's opaque marker
  expect(readFileSync(join(rootfs, "etc/passwd"), "utf8")).toMatch(/^root:x:0:0:/);
}

describe("pulling from a registry", () => {
  test("pull unpacks the image, applies whiteouts and reads the config", async () => {
    const root = tempDir();
    const store = new ImageStore(root);
    const image = await store.pull(busybox);

    expect(image).toMatchObject({
      ref: busybox,
      name: `${host}/workshop/busybox`,
      tag: "latest",
      config: BUSYBOX_CONFIG,
      rootfs: join(root, "images", image.digest.slice(7), "rootfs"),
    });
    expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(image.layers).toHaveLength(2);
    expect(image.size).toBeGreaterThan(lstatSync("/bin/busybox").size);
    expectBusyboxRootfs(image);
    // The unpacked busybox really runs.
    expect(execFileSync(join(image.rootfs, "bin/busybox"), ["echo", "hello"], { encoding: "utf8" })).toBe("hello\n");
    expect(storeSummary(root).tmp).toEqual([]);
  });

  test("resolve finds an image by name, tag, digest and digest prefix; list and remove", async () => {
    const root = tempDir();
    const store = new ImageStore(root);
    expect(store.resolve(busybox)).toBeUndefined();
    const image = await store.pull(busybox);
    const hex = image.digest.slice(7);

    expect(store.resolve(`${host}/workshop/busybox`)?.digest).toBe(image.digest); // :latest implied
    expect(store.resolve(`${host}/workshop/busybox@${image.digest}`)?.digest).toBe(image.digest);
    expect(store.resolve(image.digest)?.ref).toBe(busybox);
    expect(store.resolve(hex.slice(0, 12))?.ref).toBe(busybox);
    expect(store.resolve(hex.slice(0, 11))).toBeUndefined(); // too short to be an ID; a name that isn't there
    expect(store.resolve(`${host}/workshop/busybox:other`)).toBeUndefined();
    expect(() => store.resolve("Busybox")).toThrow(/invalid image reference "Busybox"/);

    // Pulling the same image under a second name shares the unpacked image.
    const second = await store.pull(`${host}/workshop/busybox@${image.digest}`);
    expect(second.digest).toBe(image.digest);
    expect(store.list().map((r) => [r.name, r.tag])).toEqual([
      [`${host}/workshop/busybox`, "<none>"],
      [`${host}/workshop/busybox`, "latest"],
    ]);

    store.remove(busybox); // untags only: the digest ref still uses the image
    expect(store.list()).toHaveLength(1);
    expect(existsSync(image.rootfs)).toBe(true);
    store.remove(`${host}/workshop/busybox@${image.digest}`);
    expect(store.list()).toEqual([]);
    expect(storeSummary(root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
    expect(() => store.remove(busybox)).toThrow(`no such image: ${busybox}`);
  });

  test("remove by digest prefix removes every ref of the image", async () => {
    const root = tempDir();
    const store = new ImageStore(root);
    const image = await store.pull(busybox);
    await store.pull(`${host}/workshop/busybox@${image.digest}`);
    store.remove(image.digest.slice(7, 19));
    expect(storeSummary(root)).toEqual({ images: [], refs: [], tmp: [], blobs: [], layers: [] });
  });

  test("two concurrent pulls of the same image both succeed and leave one copy", async () => {
    const root = tempDir();
    const [a, b] = await Promise.all([new ImageStore(root).pull(busybox), new ImageStore(root).pull(busybox)]);
    expect(a.digest).toBe(b.digest);
    const summary = storeSummary(root);
    expect(summary.images).toEqual([a.digest.slice(7)]);
    expect(summary.refs).toHaveLength(1);
    expect(summary.tmp).toEqual([]);
    expectBusyboxRootfs(a);
  });

  test("an index is resolved to this host's platform", async () => {
    const layout = tempDir("layout");
    const hostLayer = await tarLayer([{ name: "platform", content: "host\n" }]);
    const otherLayer = await tarLayer([{ name: "platform", content: "other\n" }]);
    await writeOciLayout(layout, [{ layers: [otherLayer] }, { layers: [hostLayer] }]);
    const other = { os: "linux", architecture: hostPlatform().architecture === "s390x" ? "riscv64" : "s390x" };
    await nestInIndex(layout, [other, hostPlatform()]);
    await pushLayout(layout, host, "workshop/multiarch:latest");

    const image = await new ImageStore(tempDir()).pull(`${host}/workshop/multiarch`);
    expect(readFileSync(join(image.rootfs, "platform"), "utf8")).toBe("host\n");
  });

  test("a registry that wants a bearer token gets one from its realm", async () => {
    const proxy = await startTokenAuthProxy(host);
    try {
      const image = await new ImageStore(tempDir()).pull(`${proxy.host}/workshop/busybox:latest`);
      expectBusyboxRootfs(image);
      expect(proxy.tokensIssued()).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  test("layerDirs unpacks each layer on its own with overlayfs whiteouts", async () => {
    const root = tempDir();
    const store = new ImageStore(root);
    const image = await store.pull(busybox);
    const [lower, upper, ...rest] = await store.layerDirs(image);
    expect(rest).toEqual([]);
    expect(lower).toBe(join(root, "layers", image.layers[0]!.slice(7)));
    expect(existsSync(join(lower!, "bin/busybox"))).toBe(true);
    expect(existsSync(join(lower!, "etc/motd"))).toBe(true);

    const whiteout = lstatSync(join(upper!, "etc/motd"));
    expect(whiteout.isCharacterDevice() && whiteout.rdev === 0).toBe(true);
    expect(opaqueXattr(join(upper!, "var/cache"))).toBe("y");
    expect(await store.layerDirs(image)).toEqual([lower, upper]); // cached

    // The layers stack into the same tree the flattened rootfs has.
    const merged = join(tempDir("merged"), "m");
    mkdirSync(merged);
    execFileSync("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${upper}:${lower}`, merged]);
    try {
      expect(existsSync(join(merged, "etc/motd"))).toBe(false);
      expect(readdirSync(join(merged, "var/cache"))).toEqual(["fresh"]);
      expect(readdirSync(merged).sort()).toEqual(readdirSync(image.rootfs).sort());
    } finally {
      execFileSync("umount", [merged]);
    }
  });

  test("progress reports every layer up to its full size", async () => {
    const seen = new Map<string, [number, number]>();
    const statuses: string[] = [];
    await new ImageStore(tempDir()).pull(busybox, {
      progress: { layer: (digest, done, total) => seen.set(digest, [done, total]), status: (line) => statuses.push(line) },
    });
    expect([...seen.values()].every(([done, total]) => done === total && total > 0)).toBe(true);
    expect(seen.size).toBe(2);
    expect(statuses[0]).toBe(`Pulling ${busybox}`);
    expect(statuses.at(-1)).toMatch(/^Digest: sha256:/);
  });
});

function opaqueXattr(dir: string): string {
  const lgetxattr = koffi.load("libc.so.6").func("long lgetxattr(const char *path, const char *name, _Out_ uint8_t *value, size_t size)");
  const value = Buffer.alloc(16);
  const length = lgetxattr(dir, "trusted.overlay.opaque", value, value.length) as number;
  return length < 0 ? "" : value.subarray(0, length).toString();
}
