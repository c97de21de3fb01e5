/**
 * Writing images: tar layers from an in-memory list of entries, and OCI image layouts that
 * `ImageStore.import` (or a registry push) takes. The checks build their test images with it;
 * tests build fixtures with it, hostile ones included: tar-stream writes names such as "../x"
 * or "/etc/x" exactly as given.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import tar from "tar-stream";
import { sha256Digest } from "./digest.js";
import { hostPlatform, MediaType } from "./manifest.js";
import type { ImageConfig } from "./types.js";

export interface TarEntry {
  name: string;
  type?: "file" | "directory" | "symlink" | "link" | "character-device" | "block-device" | "fifo";
  content?: string | Buffer;
  mode?: number;
  linkname?: string;
  uid?: number;
  gid?: number;
  mtime?: Date;
}

// A fixed time keeps layers byte-identical from one build to the next, so their digests are too.
const FIXED_MTIME = new Date("2024-01-01T00:00:00Z");

/** A tar archive of `entries`, in order; gzip-compressed unless `gzip: false`. */
export async function tarLayer(entries: TarEntry[], { gzip = true } = {}): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const type = entry.type ?? "file";
    const content = type === "file" ? Buffer.from(entry.content ?? "") : undefined;
    const header = {
      name: entry.name,
      type,
      mode: entry.mode ?? (type === "directory" ? 0o755 : type === "symlink" ? 0o777 : 0o644),
      linkname: entry.linkname,
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: entry.mtime ?? FIXED_MTIME,
    };
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (content) pack.entry(header, content, done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  await collected;
  const archive = Buffer.concat(chunks);
  return gzip ? gzipSync(archive, { level: 1 }) : archive;
}

function isGzip(layer: Buffer): boolean {
  return layer[0] === 0x1f && layer[1] === 0x8b;
}

/** What an image's config says about running it, and the labels that describe the image. */
export type WrittenConfig = Partial<ImageConfig> & { Labels?: Record<string, string> };

/** The image config JSON for `layers`, for this host's platform. */
export function imageConfig(layers: Buffer[], config: WrittenConfig = {}): Buffer {
  const platform = hostPlatform();
  const diffIds = layers.map((layer) => sha256Digest(isGzip(layer) ? gunzipSync(layer) : layer));
  return Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
      os: platform.os,
      config,
      rootfs: { type: "layers", diff_ids: diffIds },
    }),
  );
}

export interface LayoutImage {
  layers: Buffer[]; // tar archives, gzip or not
  config?: WrittenConfig;
  annotations?: Record<string, string>; // on the index entry, e.g. org.opencontainers.image.ref.name
}

/** Writes an OCI image layout with one index entry per image; returns the manifest digests. */
export async function writeOciLayout(dir: string, images: LayoutImage[]): Promise<string[]> {
  await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  const put = async (data: Buffer) => {
    const digest = sha256Digest(data);
    await writeFile(join(dir, "blobs", "sha256", digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const entries = [];
  for (const image of images) {
    const config = await put(imageConfig(image.layers, image.config));
    const layers = [];
    for (const layer of image.layers) {
      layers.push({ mediaType: isGzip(layer) ? MediaType.ociLayerGzip : MediaType.ociLayer, ...(await put(layer)) });
    }
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, ...config }, layers }),
    );
    entries.push({ mediaType: MediaType.ociManifest, ...(await put(manifest)), annotations: image.annotations });
  }
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries }));
  return entries.map((e) => e.digest);
}
