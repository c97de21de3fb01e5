// Images and containers as attackers: an image whose symlinks aim the runtime's own steps (its
// /etc files, volumes, /proc) at the host, a container that tries to undo a read-only volume or to
// climb out of its chroot. Each victim lies in this test's temporary directory; each case checks
// that the host is untouched and that the container still works. The reference runtime.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildBusyboxLayout } from "../../app/image/busybox-image.js";
import type { TarEntry } from "../../app/image/oci-writer.js";
import { collect, CONTAINER, Workspace } from "../helpers/container.js";
import { requireRoot } from "../helpers/requirements.js";

const ws = new Workspace();
const work = mkdtempSync(join(tmpdir(), "hostile-images-"));
/** Where the images point: a directory of this test's, standing for the host's /etc or /root. */
const victim = join(work, "victim");
const MODES = [
  { mode: "chroot", args: [] },
  { mode: "--pivot-root", args: ["--pivot-root"] },
  { mode: "--overlay", args: ["--overlay"] },
];

beforeAll(async () => {
  await ws.pull();
  mkdirSync(victim);
});
beforeEach((ctx) => {
  requireRoot(ctx);
  rmSync(victim, { recursive: true, force: true });
  mkdirSync(victim);
});
afterEach(() => {
  expect(readdirSync(victim), "the victim directory on the host").toEqual([]);
  expect(ws.leftovers()).toEqual([]);
});
afterAll(() => {
  ws.cleanUp();
  rmSync(work, { recursive: true, force: true });
});

let images = 0;
/** Imports the busybox test image with `layers` on top, into the workspace's store; returns its ref. */
async function hostileImage(layers: TarEntry[][]): Promise<string> {
  const tag = `hostile-${++images}`;
  const layout = join(work, tag);
  await buildBusyboxLayout(layout, { tag, extraLayers: layers });
  const imported = await collect(spawn(process.execPath, [CONTAINER, "import", layout, "--tag", `workshop/${tag}:latest`], { env: { PATH: process.env.PATH, CONTAINER_ROOT: ws.root } }));
  expect(imported.stderr).toBe("");
  return `workshop/${tag}:latest`;
}

/** Replaces the image's `path` (a directory or file of the base image) with a symlink to `target`. */
const linkOver = (path: string, target: string): TarEntry[][] => [[{ name: `${path.replace(/[^/]+$/, (name) => `.wh.${name}`)}` }], [{ name: path, type: "symlink", linkname: target }]];

describe("an image's symlinks cannot aim the runtime at the host", () => {
  it.each(MODES)("/etc a link to a host directory: nothing is made there, and the container has the runtime's /etc files ($mode)", async ({ args }) => {
    const image = await hostileImage(linkOver("etc", victim));
    const result = await ws.run(["run", "--net", "none", ...args, "--hostname", "box", image, "sh", "-c", "cat /etc/hostname; grep -c box /etc/hosts"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("box\n1\n");
  });

  it("/etc/hosts a link to a missing host file: it is not created on the host, and the container has the runtime's hosts", async () => {
    const image = await hostileImage([[{ name: "etc/hosts", type: "symlink", linkname: join(victim, "hosts") }]]);
    const result = await ws.run(["run", "--net", "none", "--hostname", "box", image, "sh", "-c", "grep box /etc/hosts"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/\tbox\n$/);
  });

  describe("volumes", () => {
    const source = join(work, "volume");
    beforeAll(() => {
      mkdirSync(source);
      writeFileSync(join(source, "from-host"), "shared\n");
    });

    it.each([
      ["-v SRC:/data/sub", "/data/sub", "cat /data/sub/from-host"],
      ["-v SRC:/data", "/data", "cat /data/from-host"],
    ])("/data a link to a host directory, %s: nothing is made on the host, and the volume is at its target", async (_, target, script) => {
      const image = await hostileImage([[{ name: "data", type: "symlink", linkname: victim }]]);
      const result = await ws.run(["run", "--net", "none", "-v", `${source}:${target}`, image, "sh", "-c", script]);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe("shared\n");
    });

    it("/data a link to a host directory, -v FILE:/data/newfile: no file is created on the host", async () => {
      const image = await hostileImage([[{ name: "data", type: "symlink", linkname: victim }]]);
      const result = await ws.run(["run", "--net", "none", "-v", `${join(source, "from-host")}:/data/newfile`, image, "cat", "/data/newfile"]);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe("shared\n");
    });
  });

  it("/proc a link: refused with one line, before anything is mounted", async () => {
    const image = await hostileImage(linkOver("proc", victim));
    const result = await ws.run(["run", "--net", "none", image, "true"]);
    expect(result.status).toBe(125);
    expect(result.stderr).toMatch(/^container: mountProc\(\) failed: openInRoot\(.*, "proc"\) failed: ENOTDIR \(a symbolic link, where a directory must be\)/);
    expect(result.stderr.split("\n").filter(Boolean)).toHaveLength(2);
  });
});

describe("a container cannot undo what confines it", () => {
  it(":ro holds all the way down: a mount below the volume is read-only too, and a remount read-write is refused", async () => {
    const source = mkdtempSync(join(work, "ro-"));
    mkdirSync(join(source, "sub"));
    // The tmpfs is the sandbox's (its own mount namespace), like a mount below a host directory.
    const script = [
      `mount -t tmpfs below '${source}/sub'`,
      `$CONTAINER run --net none -v '${source}:/host:ro' ${ws.image} sh -c 'touch /host/sub/x 2>/dev/null; echo write=$?; mount -o remount,rw /host 2>/dev/null; echo remount=$?; touch /host/y 2>/dev/null; echo after=$?'`,
    ].join(" && ");
    const result = await ws.script(script);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("write=1\nremount=1\nafter=1\n");
    expect(readdirSync(source)).toEqual(["sub"]);
  });

  it("the classic chroot escape fails in the default (chroot) mode; --privileged, which keeps every capability, shows it would not", async () => {
    const marker = join(victim, "escaped");
    const up = Array.from({ length: 24 }, () => "..").join("/");
    // On an overlay, so that the jail it makes does not land in the image's own files.
    // (The jail's /proc lets the inner shell find fd 3; mounting it needs the privileges taken away.)
    const jail = "mkdir -p /tmp/x/bin /tmp/x/proc && cp /bin/busybox /tmp/x/bin/ && { mount -t proc proc /tmp/x/proc 2>/dev/null; true; }";
    const escape = `${jail} && exec 3</ && chroot /tmp/x /bin/busybox sh -c 'cd /proc/self/fd/3 && cd -P ${up} && touch .${marker}' 2>&1; echo status=$?`;
    const confined = await ws.run(["run", "--net", "none", "--overlay", ws.image, "sh", "-c", escape]);
    expect(confined.stdout).toBe("chroot: can't change root directory to '/tmp/x': Operation not permitted\nstatus=1\n");
    expect(existsSync(marker)).toBe(false);
    // The control: the same script does reach the host when nothing takes chroot away.
    const privileged = await ws.run(["run", "--net", "none", "--overlay", "--privileged", ws.image, "sh", "-c", escape]);
    expect(privileged.stdout).toBe("status=0\n");
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  it("the command starts with SIGPIPE and SIGXFSZ at their defaults (Node ignores both): yes | head -1 ends quietly", async () => {
    const result = await ws.run(["run", "--net", "none", ws.image, "sh", "-c", "yes | head -1; awk '/^SigIgn/ { print $2 }' /proc/1/status"]);
    expect(result.stderr).toBe("");
    const [first, ignored] = result.stdout.split("\n");
    expect(first).toBe("y");
    // Bits 12 and 24: signals 13 (SIGPIPE) and 25 (SIGXFSZ).
    expect(BigInt(`0x${ignored}`) & 0x1001000n).toBe(0n);
  });
});
