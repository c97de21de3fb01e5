/**
 * A small real image that needs no network: a static busybox plus applet symlinks, as an OCI
 * image layout. The checks run containers of it, and the tests push it to their registry.
 * Layer 1 is the system; layer 2 adds etc/workshop-release, deletes etc/motd with a whiteout and
 * empties var/cache with an opaque marker, so multi-layer unpacking is exercised.
 *
 *   await buildBusyboxLayout(dir);                       // then import it, or push it to a registry
 *   await buildBusyboxLayout(dir, { tag: "v2", extraLayers: [[{ name: "hello", content: "hi" }]] });
 *
 * Layer 1 (the only slow part: gzip of ~2 MB) is cached in os.tmpdir(), keyed by the busybox
 * binary's path, size and mtime.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { tarLayer, writeOciLayout, type TarEntry, type WrittenConfig } from "./oci-writer.js";
import { isStaticElf } from "./static-binary.js";
import type { ImageConfig } from "./types.js";

/** Debian's busybox-static, statically linked: it runs in any root filesystem. */
export const HOST_BUSYBOX = "/bin/busybox";
// Bump when layer 1's contents change, so stale caches are not reused.
const LAYER_VERSION = 2;

export const BUSYBOX_APPLETS = [
  "sh", "ls", "cat", "echo", "ps", "hostname", "mount", "ip", "ping", "sleep", "true", "false", "id", "env", "pwd",
  "mkdir", "touch", "rm", "wget", "nslookup", "head", "grep", "sed", "awk", "dd", "seq", "yes", "top", "cut", "wc",
  "uname", "df", "stat", "readlink", "test", "kill", "chroot",
];

export const BUSYBOX_CONFIG: ImageConfig = {
  Cmd: ["/bin/sh"],
  Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
};

/** What layer 2 writes into etc/workshop-release. */
export const WORKSHOP_RELEASE = "container-workshop test image (busybox)\n";

export interface BusyboxLayoutOptions {
  /** The index entry's org.opencontainers.image.ref.name (default "latest"). */
  tag?: string;
  extraLayers?: TarEntry[][];
  /** Merged over BUSYBOX_CONFIG. */
  config?: WrittenConfig;
  /** The static busybox binary to put in (default /bin/busybox). */
  busybox?: string;
}

export async function buildBusyboxLayout(dir: string, opts: BusyboxLayoutOptions = {}): Promise<void> {
  const layers = [await systemLayer(opts.busybox ?? HOST_BUSYBOX), await tarLayer(releaseLayer())];
  for (const entries of opts.extraLayers ?? []) layers.push(await tarLayer(entries));
  await writeOciLayout(dir, [
    {
      layers,
      config: { ...BUSYBOX_CONFIG, ...opts.config },
      annotations: { "org.opencontainers.image.ref.name": opts.tag ?? "latest" },
    },
  ]);
}

/** What keeps `busybox` from going into an image, in words ("/bin/busybox is missing"), if anything. */
export function busyboxProblem(busybox: string): string | undefined {
  if (!existsSync(busybox)) return `${busybox} is missing`;
  // Debian's busybox package installs a dynamic one, which would find no libc in the image.
  if (!isStaticElf(busybox)) return `${busybox} is not statically linked`;
  return undefined;
}

export const INSTALL_BUSYBOX = "install Debian's busybox-static package (apt-get install busybox-static)";

async function systemLayer(busybox: string): Promise<Buffer> {
  const problem = busyboxProblem(busybox);
  if (problem) throw new UserError(problem, INSTALL_BUSYBOX);
  const stats = statSync(busybox);
  const key = createHash("sha256").update(`${busybox}:${stats.size}:${Math.trunc(stats.mtimeMs)}`).digest("hex").slice(0, 12);
  const cached = join(tmpdir(), `container-workshop-busybox-layer-v${LAYER_VERSION}-${key}.tar.gz`);
  if (existsSync(cached)) return readFile(cached);
  const dirs = ["bin", "dev", "etc", "proc", "root", "sys", "var", "var/cache"].map((name): TarEntry => ({
    name,
    type: "directory",
    mode: name === "root" ? 0o700 : 0o755,
  }));
  const layer = await tarLayer([
    ...dirs,
    { name: "tmp", type: "directory", mode: 0o1777 },
    { name: "bin/busybox", content: await readFile(busybox), mode: 0o755 },
    ...BUSYBOX_APPLETS.map((applet): TarEntry => ({ name: `bin/${applet}`, type: "symlink", linkname: "busybox" })),
    { name: "etc/passwd", content: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" },
    { name: "etc/group", content: "root:x:0:\nnogroup:x:65534:\n" },
    { name: "etc/motd", content: "removed by layer 2\n" },
    { name: "var/cache/stale", content: "hidden by layer 2's opaque marker\n" },
  ]);
  // Written aside and renamed: several processes may build the cache at the same time.
  const partial = `${cached}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  await writeFile(partial, layer);
  await rename(partial, cached);
  return layer;
}

function releaseLayer(): TarEntry[] {
  return [
    { name: "etc/workshop-release", content: WORKSHOP_RELEASE },
    { name: "etc/.wh.motd" },
    { name: "var/cache/.wh..wh..opq" },
    { name: "var/cache/fresh", content: "written by layer 2\n" },
  ];
}
