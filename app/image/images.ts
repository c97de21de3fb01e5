import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mkdirPrivate } from "../private-dir.js";
import type { BlobStore } from "./blobs.js";
import { shortDigest, SHA256_DIGEST } from "./digest.js";
import { bytesOf } from "./disk-usage.js";
import type { StoreLayout } from "./layout.js";
import type { ImageConfig } from "./types.js";

/** What images/<hex>/image.json records about an unpacked image. */
export interface StoredImage {
  digest: string; // manifest digest
  configDigest: string;
  config: ImageConfig;
  layers: string[];
  size: number;
}

/**
 * Unpacked images under images/<manifest-hex>/{image.json,rootfs/}. An image directory appears
 * by one rename of a finished directory from tmp/, so it is either complete or absent.
 */
export class ImageDirs {
  constructor(
    private readonly layout: StoreLayout,
    private readonly blobs: BlobStore,
  ) {}

  rootfs(digest: string): string {
    return join(this.layout.image(digest), "rootfs");
  }

  has(digest: string): boolean {
    return existsSync(join(this.layout.image(digest), "image.json"));
  }

  read(digest: string): StoredImage | undefined {
    try {
      return JSON.parse(readFileSync(join(this.layout.image(digest), "image.json"), "utf8")) as StoredImage;
    } catch {
      return undefined;
    }
  }

  digests(): string[] {
    try {
      return readdirSync(this.layout.imagesDir)
        .map((hex) => `sha256:${hex}`)
        .filter((digest) => SHA256_DIGEST.test(digest));
    } catch {
      return [];
    }
  }

  /** Flattens the image's layers (already in the blob store) into a new image directory. */
  async install(image: Omit<StoredImage, "size">, signal?: AbortSignal): Promise<void> {
    const { applyLayer } = await import("./extract.js"); // not loaded by `container run` (see store.ts)
    const work = this.layout.scratch("image");
    try {
      // images/<hex> is `work` renamed: private like its parent. The rootfs is the container's "/".
      const rootfs = join(work, "rootfs");
      mkdirSync(work, { mode: 0o700 });
      mkdirSync(rootfs, { mode: 0o755 });
      for (const layer of image.layers) {
        signal?.throwIfAborted();
        await applyLayer(this.blobs.path(layer), rootfs, { label: `layer ${shortDigest(layer)}`, whiteouts: "apply" });
      }
      const stored: StoredImage = { ...image, size: bytesOf(rootfs) };
      writeFileSync(join(work, "image.json"), `${JSON.stringify(stored, null, 2)}\n`);
      mkdirPrivate(this.layout.imagesDir);
      try {
        renameSync(work, this.layout.image(image.digest));
      } catch (error) {
        // Another pull of the same image finished first: its copy is as good as ours.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Records that the image is to go once no container uses it (`rmi --force` while one does). */
  markForRemoval(digest: string): void {
    writeFileSync(this.removalMark(digest), "");
  }

  unmarkForRemoval(digest: string): void {
    rmSync(this.removalMark(digest), { force: true });
  }

  markedForRemoval(): string[] {
    return this.digests().filter((digest) => existsSync(this.removalMark(digest)));
  }

  private removalMark(digest: string): string {
    return join(this.layout.image(digest), "remove-when-unused");
  }

  /** Moves the directory out of sight first, so a reader never sees half a deleted image. */
  remove(digest: string): void {
    const doomed = this.layout.scratch("removed-image");
    try {
      renameSync(this.layout.image(digest), doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    rmSync(doomed, { recursive: true, force: true });
  }
}
