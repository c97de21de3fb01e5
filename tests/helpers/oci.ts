/**
 * Image fixtures only tests need: `docker save` archives, tarred layouts and multi-platform
 * indexes. Layers and OCI layouts are written by app/image/oci-writer.ts (re-exported here).
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { sha256Digest } from "../../app/image/digest.js";
import { MediaType } from "../../app/image/manifest.js";
import { imageConfig, tarLayer, type TarEntry } from "../../app/image/oci-writer.js";
import type { ImageConfig } from "../../app/image/store.js";

export { tarLayer, writeOciLayout, type TarEntry } from "../../app/image/oci-writer.js";

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
  const blobPath = (data: Buffer, classic: string) => (style === "blobs" ? `blobs/sha256/${sha256Digest(data).slice(7)}` : classic);
  for (const image of images) {
    const config = imageConfig(image.layers, image.config);
    const configFile = blobPath(config, `${sha256Digest(config).slice(7)}.json`);
    entries.push({ name: configFile, content: config });
    const layerFiles = image.layers.map((layer) => blobPath(layer, `${sha256Digest(layer).slice(7)}/layer.tar`));
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
  const digest = sha256Digest(index);
  await writeFile(join(dir, "blobs", "sha256", digest.slice(7)), index);
  await writeFile(
    join(dir, "index.json"),
    JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: MediaType.ociIndex, digest, size: index.length }] }),
  );
  return digest;
}
