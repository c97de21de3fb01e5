/**
 * Builders for image fixtures: tar layers from an in-memory entry list (hostile ones included:
 * tar-stream writes names like "../x" or "/etc/x" exactly as given), OCI image layouts, and
 * `docker save` archives.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import tar from "tar-stream";
import { hostPlatform, MediaType } from "../../app/image/manifest.js";
import type { ImageConfig } from "../../app/image/store.js";

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

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The image config JSON for `layers`, for this host's platform. */
export function imageConfig(layers: Buffer[], config: Partial<ImageConfig> = {}): Buffer {
  const platform = hostPlatform();
  const diffIds = layers.map((layer) => sha256(layer[0] === 0x1f && layer[1] === 0x8b ? gunzipSync(layer) : layer));
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
  config?: Partial<ImageConfig>;
  annotations?: Record<string, string>; // on the index entry, e.g. org.opencontainers.image.ref.name
}

/** Writes an OCI image layout with one index entry per image; returns the manifest digests. */
export async function writeOciLayout(dir: string, images: LayoutImage[]): Promise<string[]> {
  await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  const put = async (data: Buffer) => {
    const digest = sha256(data);
    await writeFile(join(dir, "blobs", "sha256", digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const entries = [];
  for (const image of images) {
    const config = await put(imageConfig(image.layers, image.config));
    const layers = [];
    for (const layer of image.layers) {
      const gzip = layer[0] === 0x1f && layer[1] === 0x8b;
      layers.push({ mediaType: gzip ? MediaType.ociLayerGzip : MediaType.ociLayer, ...(await put(layer)) });
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

export interface SavedImage {
  repoTags: string[];
  layers: Buffer[]; // uncompressed tars, as docker save writes them
  config?: Partial<ImageConfig>;
}

/**
 * Writes a `docker save` tar: "classic" (<id>.json, <layer-id>/layer.tar) as Docker wrote before
 * v25, or "blobs" (blobs/sha256/<hex>) as newer Docker does; both with manifest.json.
 */
export async function writeDockerSave(file: string, images: SavedImage[], { style = "classic" }: { style?: "classic" | "blobs" } = {}): Promise<void> {
  const entries: TarEntry[] = [];
  const manifest = [];
  const blobPath = (data: Buffer, classic: string) => (style === "blobs" ? `blobs/sha256/${sha256(data).slice(7)}` : classic);
  for (const image of images) {
    const config = imageConfig(image.layers, image.config);
    const configFile = blobPath(config, `${sha256(config).slice(7)}.json`);
    entries.push({ name: configFile, content: config });
    const layerFiles = image.layers.map((layer) => blobPath(layer, `${sha256(layer).slice(7)}/layer.tar`));
    image.layers.forEach((layer, i) => entries.push({ name: layerFiles[i]!, content: layer }));
    manifest.push({ Config: configFile, RepoTags: image.repoTags, Layers: layerFiles });
  }
  entries.push({ name: "manifest.json", content: JSON.stringify(manifest) });
  await writeFile(file, await tarLayer(entries, { gzip: false }));
}

/** Packs a directory (an OCI layout) into a tar file with the system's tar. */
export async function tarDirectory(dir: string, file: string): Promise<void> {
  await promisify(execFile)("tar", ["-cf", file, "-C", dir, "."]);
}

/**
 * Turns a layout's manifests into a multi-platform image: an index blob listing them with
 * `platforms` (in order) becomes the layout's only entry.
 */
export async function nestInIndex(dir: string, platforms: { os: string; architecture: string; variant?: string }[]): Promise<string> {
  const top = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: { digest: string; size: number; mediaType: string }[] };
  const manifests = top.manifests.map(({ digest, size, mediaType }, i) => ({ mediaType, digest, size, platform: platforms[i] }));
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
  const digest = sha256(index);
  await writeFile(join(dir, "blobs", "sha256", digest.slice(7)), index);
  await writeFile(
    join(dir, "index.json"),
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: MediaType.ociIndex, digest, size: index.length }] }),
  );
  return digest;
}
