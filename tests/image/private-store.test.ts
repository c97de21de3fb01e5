// An image's root filesystem holds setuid-root programs: a host user who can reach them by path
// can run them as root. The store must let no one but root in, from the moment it exists.
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ImageStore, type ImageRecord } from "../../app/image/index.js";
import { StateStore } from "../../app/runtime/state.js";
import { tarLayer, writeOciLayout } from "../helpers/oci.js";
import { requireRoot } from "../helpers/requirements.js";
import { tempDir } from "./support.js";

const NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/**
 * `command` as the unprivileged user nobody. Through a shell: setpriv keeps its capabilities until
 * it has exec'd, so a path it execs itself is looked up with root's powers.
 */
function asNobody(command: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync("setpriv", [...NOBODY, "sh", "-c", '"$@"', "sh", command, ...args], { encoding: "utf8" });
}

/**
 * A store under a directory anyone may enter, like /var/lib, holding an image with a setuid-root
 * copy of `id` (it prints 0 when it runs as root) and a file anyone could read.
 */
async function storeWithSetuidImage(root?: string): Promise<{ root: string; image: ImageRecord }> {
  const parent = tempDir("private-store");
  chmodSync(parent, 0o755);
  const layout = tempDir("setuid-layout");
  const layer = await tarLayer([
    { name: "bin", type: "directory" },
    { name: "bin/id", content: readFileSync("/usr/bin/id"), mode: 0o4755 },
    { name: "etc", type: "directory" },
    { name: "etc/motd", content: "for anyone inside\n", mode: 0o644 },
  ]);
  await writeOciLayout(layout, [{ layers: [layer] }]);
  const store = root ?? join(parent, "store");
  const [image] = await new ImageStore(store).import(layout, { tag: "workshop/setuid:1" });
  return { root: store, image: image! };
}

/** What nobody gets from the image's files: the setuid program run, and a file read. */
function reachedByNobody(image: ImageRecord): { setuid: string; motd: string } {
  const run = asNobody(join(image.rootfs, "bin/id"), "-u");
  const read = asNobody("cat", join(image.rootfs, "etc/motd"));
  return { setuid: run.stdout + run.stderr, motd: read.stdout + read.stderr };
}

/** Every directory of the store outside the images' root filesystems, with its permission bits. */
function storeModes(root: string): Record<string, string> {
  const modes: Record<string, string> = { ".": (statSync(root).mode & 0o777).toString(8) };
  for (const top of readdirSync(root)) {
    modes[top] = (statSync(join(root, top)).mode & 0o777).toString(8);
    if (top === "images") for (const hex of readdirSync(join(root, top))) modes[`images/${hex.slice(0, 12)}`] = (statSync(join(root, top, hex)).mode & 0o777).toString(8);
  }
  return modes;
}

describe("the store is private", () => {
  test("a host user can reach nothing of an image, its setuid-root programs included", async (ctx) => {
    requireRoot(ctx);
    const { root, image } = await storeWithSetuidImage();
    for (const mode of Object.values(storeModes(root))) expect(mode).toBe("700");
    const reached = reachedByNobody(image);
    expect(reached.setuid).toMatch(/Permission denied/);
    expect(reached.setuid).not.toMatch(/^0$/m);
    expect(reached.motd).toMatch(/Permission denied/);
    // Root still has the image as it was: the setuid bit is kept, for use inside a container.
    expect(statSync(join(image.rootfs, "bin/id")).mode & 0o7777).toBe(0o4755);
    expect(new ImageStore(root).resolve("workshop/setuid:1")?.digest).toBe(image.digest);
  });

  test("a store made by an older version, open to all, is made private when it is opened", async (ctx) => {
    requireRoot(ctx);
    const { root, image } = await storeWithSetuidImage();
    new StateStore(root).create({ id: "0123456789ab", image: image.ref, imageDigest: image.digest, command: [], hostname: "x", created: "", owner: { pid: 0, start: "" } });
    // What the older version left: every directory 0755.
    for (const dir of [root, ...readdirSync(root).map((top) => join(root, top)), join(root, "images", image.digest.slice(7)), join(root, "containers", "0123456789ab")]) chmodSync(dir, 0o755);
    expect(reachedByNobody(image).motd).toBe("for anyone inside\n");

    new ImageStore(root);
    new StateStore(root);
    for (const [dir, mode] of Object.entries(storeModes(root))) {
      // The root is left as it is (it may be a directory others use, like /tmp), and images/
      // itself is closed: what is inside need not change.
      if (dir === "." || dir.startsWith("images/")) continue;
      expect([dir, mode]).toEqual([dir, "700"]);
    }
    expect(statSync(root).mode & 0o777).toBe(0o755);
    const reached = reachedByNobody(image);
    expect(reached.setuid).toMatch(/Permission denied/);
    expect(reached.motd).toMatch(/Permission denied/);
    expect(new ImageStore(root).resolve("workshop/setuid:1")?.digest).toBe(image.digest);
  });

  test("a root that exists already, shared like /tmp, is left as it is: what is inside it is closed", async (ctx) => {
    requireRoot(ctx);
    const shared = tempDir("shared-root");
    chmodSync(shared, 0o1777);
    const { root, image } = await storeWithSetuidImage(shared);
    expect(statSync(root).mode & 0o7777).toBe(0o1777);
    for (const [dir, mode] of Object.entries(storeModes(root))) if (dir !== ".") expect([dir, mode]).toEqual([dir, "700"]);
    const reached = reachedByNobody(image);
    expect(reached.setuid).toMatch(/Permission denied/);
    expect(reached.motd).toMatch(/Permission denied/);
  });
});
