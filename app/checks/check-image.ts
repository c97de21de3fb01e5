/**
 * The images the checks run: the workshop's busybox image, built from the machine's static
 * busybox so that no network is needed, and for the image-config bonus step two variants with a
 * config of their own. Each is built and imported once per store.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeError, UserError } from "../errors.js";
import { buildBusyboxLayout, HOST_BUSYBOX, type BusyboxLayoutOptions } from "../image/busybox-image.js";
import { ImageStore } from "../image/store.js";

export const CHECK_IMAGE = "workshop/busybox:latest";

const PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Images with a config of their own, for the image-config bonus step. */
export const CONFIG_IMAGES = {
  /** Cmd, Env and WorkingDir; run without a command it prints what it got. */
  cmd: {
    ref: "workshop/config-cmd:latest",
    config: {
      Cmd: ["/bin/sh", "-c", 'echo "cmd ran"; echo "cwd=$(pwd)"; echo "greeting=$GREETING"; echo "from-image=$FROM_IMAGE"'],
      Env: [PATH, "GREETING=hello from the image", "FROM_IMAGE=yes"],
      WorkingDir: "/srv/app",
    },
    extraLayers: [[{ name: "srv", type: "directory" as const }, { name: "srv/app", type: "directory" as const }]],
  },
  /** An Entrypoint that prints its arguments, with a Cmd as the default ones. */
  entrypoint: {
    ref: "workshop/config-entrypoint:latest",
    config: { Entrypoint: ["/bin/sh", "-c", 'echo "entrypoint got: $*"', "entrypoint"], Cmd: ["from-cmd"] },
    extraLayers: [],
  },
  /** For the exec step: its WorkingDir is in /vol, where the checks mount a volume of their own. */
  execWorkdir: {
    ref: "workshop/exec-workdir:latest",
    config: { Env: [PATH], WorkingDir: "/vol/work" },
    extraLayers: [[{ name: "vol", type: "directory" as const }]],
  },
} satisfies Record<string, { ref: string } & BusyboxLayoutOptions>;

/** The image the checks use, imported into the store at `root` if it is not there yet. Returns its ref. */
export async function ensureCheckImage(root: string): Promise<string> {
  await ensureImage(root, CHECK_IMAGE, {});
  return CHECK_IMAGE;
}

/** The image-config step's images, imported if missing. */
export async function ensureConfigImages(root: string): Promise<void> {
  for (const { ref, ...options } of Object.values(CONFIG_IMAGES)) await ensureImage(root, ref, options);
}

async function ensureImage(root: string, ref: string, options: BusyboxLayoutOptions): Promise<void> {
  const store = new ImageStore(root);
  if (store.resolve(ref)) return;
  const layout = await mkdtemp(join(tmpdir(), "workshop-check-image-"));
  try {
    await buildBusyboxLayout(layout, { ...options, busybox: await staticBusybox(store) });
    await store.import(layout, { tag: ref });
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}

/** The machine's static busybox; without one, the one in Docker Hub's busybox image (also static). */
async function staticBusybox(store: ImageStore): Promise<string> {
  if (existsSync(HOST_BUSYBOX)) return HOST_BUSYBOX;
  try {
    const image = store.resolve("busybox:latest") ?? (await store.pull("busybox:latest"));
    return join(image.rootfs, "bin", "busybox");
  } catch (error) {
    throw new UserError(
      `the checks need a busybox binary: ${HOST_BUSYBOX} is missing, and pulling busybox:latest from Docker Hub failed (${describeError(error).split("\n")[0]})`,
      "install Debian's busybox-static (apt-get install busybox-static), or connect to the internet and try again",
    );
  }
}
