import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ImageStore } from "../../app/image/index.js";
import { tarLayer, writeOciLayout, type TarEntry } from "../helpers/oci.js";
import { listTree, storeSummary, tempDir } from "./support.js";

/**
 * Each case imports a one-layer image into <parent>/store, next to <parent>/outside/victim. Whatever
 * the layer does, the victim stays as it was and nothing appears in <parent> outside the store.
 */
async function importHostile(layer: TarEntry[] | ((outside: string) => TarEntry[])) {
  const parent = tempDir("hostile");
  const outside = join(parent, "outside");
  const entries = typeof layer === "function" ? layer(outside) : layer;
  mkdirSync(outside);
  writeFileSync(join(outside, "victim"), "original\n");
  const layout = join(parent, "layout");
  await writeOciLayout(layout, [{ layers: [await tarLayer(entries)], annotations: { "org.opencontainers.image.ref.name": "hostile:1" } }]);
  const before = listTree(parent);
  const root = join(parent, "store");
  const store = new ImageStore(root);
  const result = await store.import(layout).then(
    (images) => ({ image: images[0]!, error: undefined }),
    (error: Error) => ({ image: undefined, error }),
  );
  const after = listTree(parent).filter((p) => p !== "store" && !p.startsWith("store/"));
  expect(after).toEqual(before);
  expect(readFileSync(join(outside, "victim"), "utf8")).toBe("original\n");
  expect(readFileSync("/etc/passwd", "utf8")).not.toContain("pwned");
  if (result.error) {
    // Refused: no image, no ref, no half-unpacked work left behind.
    const summary = storeSummary(root);
    expect([summary.images, summary.refs, summary.tmp]).toEqual([[], [], []]);
  }
  return { ...result, parent, outside };
}

describe("hostile layers", () => {
  test("a path with '..' is refused", async () => {
    const { error } = await importHostile([{ name: "../outside/victim", content: "pwned\n" }]);
    expect(error?.message).toMatch(/^layer [a-f0-9]{12} has an unsafe entry "\.\.\/outside\/victim": its path contains '\.\.'$/);
  });

  test("a '..' hidden deeper in the path is refused", async () => {
    const { error } = await importHostile([{ name: "a/b/../../../outside/victim", content: "pwned\n" }]);
    expect(error?.message).toMatch(/has an unsafe entry "a\/b\/\.\.\/\.\.\/\.\.\/outside\/victim": its path contains '\.\.'/);
  });

  test.each([".wh...", ".wh..", ".wh.", "sub/.wh..."])("a whiteout of %j (the parent or beyond) is refused", async (name) => {
    const { error } = await importHostile([{ name: "sub", type: "directory" }, { name }]);
    expect(error?.message).toMatch(/has an unsafe entry ".*": it is a whiteout of no valid name$/);
  });

  test("an absolute path is refused", async () => {
    const { error } = await importHostile([{ name: "/etc/passwd", content: "pwned\n" }]);
    expect(error?.message).toMatch(/has an unsafe entry "\/etc\/passwd": its path is absolute/);
  });

  test("writing through a symlinked directory stays inside the rootfs", async () => {
    const { image, error, outside } = await importHostile((outside) => [
      { name: "to-outside", type: "symlink", linkname: outside },
      { name: "climb", type: "symlink", linkname: "../../../../../../../../../../.." },
      { name: "etc-link", type: "symlink", linkname: "/etc" },
      { name: "to-outside/victim", content: "pwned\n" },
      { name: "climb/escaped", content: "pwned\n" },
      { name: "etc-link/passwd", content: "pwned\n" },
    ]);
    expect(error).toBeUndefined();
    // The links were followed as if the rootfs were /, so the files landed inside it.
    const rootfs = image!.rootfs;
    expect(readFileSync(join(rootfs, outside, "victim"), "utf8")).toBe("pwned\n");
    expect(readFileSync(join(rootfs, "escaped"), "utf8")).toBe("pwned\n");
    expect(existsSync("/escaped")).toBe(false);
    expect(readFileSync(join(rootfs, "etc/passwd"), "utf8")).toBe("pwned\n");
  });

  test("a file or directory over a symlink replaces the link instead of writing through it", async () => {
    const { image, error } = await importHostile((outside) => [
      { name: "link", type: "symlink", linkname: join(outside, "victim") },
      { name: "link", content: "pwned\n" },
      { name: "dirlink", type: "symlink", linkname: outside },
      { name: "dirlink", type: "directory" },
      { name: "dirlink/victim", content: "pwned\n" },
    ]);
    expect(error).toBeUndefined();
    const rootfs = image!.rootfs;
    expect(lstatSync(join(rootfs, "link")).isFile()).toBe(true);
    expect(readFileSync(join(rootfs, "link"), "utf8")).toBe("pwned\n");
    expect(lstatSync(join(rootfs, "dirlink")).isDirectory()).toBe(true);
    expect(readFileSync(join(rootfs, "dirlink/victim"), "utf8")).toBe("pwned\n");
  });

  test("a hard link out of the rootfs is refused", async () => {
    const { error, outside } = await importHostile([{ name: "hl", type: "link", linkname: "../outside/victim" }]);
    expect(error?.message).toMatch(/has an unsafe entry "hl": its path contains '\.\.'/);
    const absolute = await importHostile([{ name: "hl", type: "link", linkname: join(outside, "victim") }]);
    expect(absolute.error?.message).toMatch(/has an unsafe entry "hl": its path is absolute/);
  });

  test("a hard link through a symlink must find a file inside the rootfs", async () => {
    const { error } = await importHostile([
      { name: "etc-link", type: "symlink", linkname: "/etc" },
      { name: "hl", type: "link", linkname: "etc-link/passwd" },
    ]);
    expect(error?.message).toMatch(/has an unsafe entry "hl": it is a hard link to "etc-link\/passwd", which is not a file in the image/);

    const inside = await importHostile([
      { name: "etc", type: "directory" },
      { name: "etc/passwd", content: "root:x:0:0::/root:/bin/sh\n" },
      { name: "etc-link", type: "symlink", linkname: "/etc" },
      { name: "hl", type: "link", linkname: "etc-link/passwd" },
    ]);
    expect(inside.error).toBeUndefined();
    const rootfs = inside.image!.rootfs;
    expect(lstatSync(join(rootfs, "hl")).ino).toBe(lstatSync(join(rootfs, "etc/passwd")).ino);
  });

  test("device nodes and FIFOs are skipped", async () => {
    const { image, error } = await importHostile([
      { name: "dev", type: "directory" },
      { name: "dev/sda", type: "block-device" },
      { name: "dev/mem", type: "character-device" },
      { name: "fifo", type: "fifo" },
      { name: "kept", content: "ok\n" },
    ]);
    expect(error).toBeUndefined();
    expect(listTree(image!.rootfs)).toEqual(["dev", "kept"]);
  });

  test("modes, setuid, owners, symlinks and mtimes are kept", async () => {
    const mtime = new Date("2020-02-02T02:02:02Z");
    const { image } = await importHostile([
      { name: "usr/bin/su", content: "#!/bin/sh\n", mode: 0o4755, uid: 0, gid: 0, mtime },
      { name: "home/user/file", content: "x", mode: 0o600, uid: 1000, gid: 1000 },
      { name: "home/user/link", type: "symlink", linkname: "file" },
      { name: "shared", type: "directory", mode: 0o2775, mtime },
    ]);
    const rootfs = image!.rootfs;
    const su = lstatSync(join(rootfs, "usr/bin/su"));
    expect(su.mode & 0o7777).toBe(0o4755);
    expect(su.mtime.getTime()).toBe(mtime.getTime());
    const file = lstatSync(join(rootfs, "home/user/file"));
    expect([file.mode & 0o7777, file.uid, file.gid]).toEqual([0o600, 1000, 1000]);
    expect(readlinkSync(join(rootfs, "home/user/link"))).toBe("file");
    const shared = lstatSync(join(rootfs, "shared"));
    expect([shared.mode & 0o7777, shared.mtime.getTime()]).toEqual([0o2775, mtime.getTime()]);
  });

  test("a zstd layer is refused with a clear message", async () => {
    const parent = tempDir("zstd");
    const layout = join(parent, "layout");
    const zstdMagic = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
    await writeOciLayout(layout, [{ layers: [zstdMagic], annotations: { "org.opencontainers.image.ref.name": "z:1" } }]);
    await expect(new ImageStore(join(parent, "store")).import(layout)).rejects.toThrow(/^layer [a-f0-9]{12} is zstd-compressed, which the workshop cannot unpack$/);
  });

  test("a layer that is not a tar is refused", async () => {
    const parent = tempDir("garbage");
    const layout = join(parent, "layout");
    const garbage = Buffer.from("this is not a tar archive, not even close ".repeat(20));
    await writeOciLayout(layout, [{ layers: [garbage], annotations: { "org.opencontainers.image.ref.name": "g:1" } }]);
    await expect(new ImageStore(join(parent, "store")).import(layout)).rejects.toThrow(/^layer [a-f0-9]{12} is not a readable tar archive: /);
    expect(storeSummary(join(parent, "store")).tmp).toEqual([]);
  });
});
