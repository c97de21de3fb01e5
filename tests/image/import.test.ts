import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ImageStore } from "../../app/image/index.js";
import { BUSYBOX_CONFIG, buildBusyboxLayout, WORKSHOP_RELEASE } from "../../app/image/busybox-image.js";
import { tarDirectory, tarLayer, writeDockerSave, writeOciLayout } from "../helpers/oci.js";
import { storeSummary, tempDir } from "./support.js";

describe("importing archives", () => {
  test("an OCI layout directory, named with --tag", async () => {
    const layout = tempDir("layout");
    await buildBusyboxLayout(layout);
    const store = new ImageStore(tempDir());
    const [image, ...more] = await store.import(layout, { tag: "workshop/busybox:imported" });
    expect(more).toEqual([]);
    expect(image).toMatchObject({ ref: "docker.io/workshop/busybox:imported", name: "workshop/busybox", tag: "imported", config: BUSYBOX_CONFIG });
    expect(readFileSync(join(image!.rootfs, "etc/workshop-release"), "utf8")).toBe(WORKSHOP_RELEASE);
    expect(existsSync(join(image!.rootfs, "etc/motd"))).toBe(false);
    expect(store.resolve("workshop/busybox:imported")?.digest).toBe(image!.digest);
  });

  test("an OCI layout as a tar, named by its annotation", async () => {
    const layout = tempDir("layout");
    await buildBusyboxLayout(layout, { tag: "localhost/busybox:1.0", extraLayers: [[{ name: "hello", content: "hi\n" }]] });
    const file = join(tempDir("archive"), "busybox-oci.tar");
    await tarDirectory(layout, file);
    const [image] = await new ImageStore(tempDir()).import(file);
    expect(image).toMatchObject({ ref: "localhost/busybox:1.0", name: "localhost/busybox", tag: "1.0" });
    expect(image!.layers).toHaveLength(3);
    expect(readFileSync(join(image!.rootfs, "hello"), "utf8")).toBe("hi\n");
  });

  test("an OCI layout naming its image by tag only needs --tag", async () => {
    const layout = tempDir("layout");
    await buildBusyboxLayout(layout); // annotated "latest": a tag, not a name
    const root = tempDir();
    const error = await new ImageStore(root).import(layout).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: `${layout} does not say what its image is called`, hint: "pass --tag NAME[:TAG] to name it" });
    expect(storeSummary(root).images).toEqual([]);
  });

  test("a docker save archive with several images and tags", async () => {
    const base = await tarLayer([{ name: "etc", type: "directory" }, { name: "etc/os", content: "base\n" }], { gzip: false });
    const top = await tarLayer([{ name: "etc/app", content: "app\n" }, { name: "etc/.wh.os" }], { gzip: false });
    const file = join(tempDir("archive"), "saved.tar");
    await writeDockerSave(file, [
      { repoTags: ["base:1", "registry.example.com/team/base:1"], layers: [base], config: { Cmd: ["/bin/true"] } },
      { repoTags: ["app:latest"], layers: [base, top], config: { Entrypoint: ["/app"], WorkingDir: "/srv" } },
    ]);
    const root = tempDir();
    const store = new ImageStore(root);
    const images = await store.import(file);
    expect(images.map((i) => i.ref)).toEqual([
      "docker.io/library/base:1",
      "registry.example.com/team/base:1",
      "docker.io/library/app:latest",
    ]);
    const app = images[2]!;
    expect(app.config).toEqual({ Entrypoint: ["/app"], WorkingDir: "/srv" });
    expect(readdirSync(join(app.rootfs, "etc"))).toEqual(["app"]);
    expect(images[0]!.digest).toBe(images[1]!.digest);
    expect(store.list().map((i) => `${i.name}:${i.tag}`)).toEqual(["app:latest", "base:1", "registry.example.com/team/base:1"]);
    expect(storeSummary(root).images).toHaveLength(2);
    expect(storeSummary(root).blobs).toHaveLength(6); // the shared base layer once, the top layer, 2 configs, 2 manifests
    // Importing again is idempotent.
    await store.import(file);
    expect(storeSummary(root).images).toHaveLength(2);
  });

  test("a docker save archive in the newer blobs/sha256 style", async () => {
    const layer = await tarLayer([{ name: "etc/hostname", content: "saved\n" }], { gzip: false });
    const file = join(tempDir("archive"), "saved.tar");
    await writeDockerSave(file, [{ repoTags: ["saved:2"], layers: [layer] }], { style: "blobs" });
    const [image] = await new ImageStore(tempDir()).import(file);
    expect(image!.ref).toBe("docker.io/library/saved:2");
    expect(readFileSync(join(image!.rootfs, "etc/hostname"), "utf8")).toBe("saved\n");
  });

  test("--tag on an archive of several images is refused", async () => {
    const layout = tempDir("layout");
    const layer = await tarLayer([{ name: "a", content: "a" }]);
    await writeOciLayout(layout, [{ layers: [layer] }, { layers: [layer], config: { Cmd: ["x"] } }]);
    await expect(new ImageStore(tempDir()).import(layout, { tag: "x" })).rejects.toThrow(`${layout} contains 2 images and --tag can name only one`);
  });

  test("something that is no image archive", async () => {
    const dir = tempDir("junk");
    await expect(new ImageStore(tempDir()).import(dir)).rejects.toThrow(`${dir} is neither a docker save archive nor an OCI image layout`);
    await expect(new ImageStore(tempDir()).import(join(dir, "missing.tar"))).rejects.toThrow(`cannot import ${join(dir, "missing.tar")}: no such file or directory`);
  });
});
