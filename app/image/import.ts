import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, type Stats } from "node:fs";
import { basename } from "node:path";
import { UserError } from "../errors.js";
import type { BlobStore } from "./blobs.js";
import { digestHex, SHA256_DIGEST } from "./digest.js";
import { applyLayer, sniffCompression } from "./extract.js";
import type { ImageDirs } from "./images.js";
import type { StoreLayout } from "./layout.js";
import { MediaType, parseImageConfig, parseManifest, pickPlatform, type Descriptor } from "./manifest.js";
import { formatReference, parseReference } from "./reference.js";
import type { RefIndex } from "./refs.js";
import { resolveInRoot } from "../given/resolve-in-root.js";

export interface ImportContext {
  layout: StoreLayout;
  blobs: BlobStore;
  images: ImageDirs;
  refs: RefIndex;
}

/** An image found in the archive, its blobs already verified into the blob store. */
interface FoundImage {
  digest: string;
  configDigest: string;
  layers: string[];
  names: string[]; // references the archive gives it; may be empty
}

/**
 * Imports every image of a `docker save` archive or an OCI image layout (a directory, or a tar of
 * one, gzip allowed) and files it under its own names or `tag`. Returns the refs and digests.
 * `builtFrom` marks the refs as the store's own build (see RefEntry).
 */
export async function importImages(
  file: string,
  context: ImportContext,
  { tag, builtFrom }: { tag?: string; builtFrom?: string } = {},
): Promise<{ ref: string; digest: string }[]> {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new UserError(`cannot import ${file}: no such file or directory`);
  }
  // Reading a FIFO or a device would wait for a writer, or never end.
  if (!stats.isDirectory() && !stats.isFile()) {
    throw new UserError(`cannot import ${file}: it is ${fileKind(stats)}, not a file or a directory`, "give the archive (from docker save, or a tar of an OCI layout) or the layout's directory");
  }
  const unpacked = stats.isDirectory() ? undefined : context.layout.scratch("import");
  try {
    const source = unpacked ?? file;
    if (unpacked) {
      mkdirSync(unpacked, { mode: 0o700 });
      await applyLayer(file, unpacked, { label: `archive ${basename(file)}`, whiteouts: "apply" });
    }
    const reader = new SourceReader(source, file);
    let found: FoundImage[];
    if (reader.exists("manifest.json")) found = await readDockerSave(reader, context.blobs);
    else if (reader.exists("oci-layout") && reader.exists("index.json")) found = await readOciLayout(reader, context.blobs);
    else {
      throw new UserError(
        `${file} is neither a docker save archive nor an OCI image layout`,
        "expected manifest.json (docker save) or oci-layout and index.json (OCI) at its top level",
      );
    }
    const named = nameImages(found, file, tag);

    const imported: { ref: string; digest: string }[] = [];
    for (const { image, refs } of named) {
      if (!context.images.has(image.digest)) {
        const config = parseImageConfig(context.blobs.read(image.configDigest), file);
        await context.images.install({ digest: image.digest, configDigest: image.configDigest, config, layers: image.layers });
      }
      for (const ref of refs) {
        context.refs.set(ref, image.digest, builtFrom);
        imported.push({ ref, digest: image.digest });
      }
    }
    return imported;
  } finally {
    if (unpacked) rmSync(unpacked, { recursive: true, force: true });
  }
}

function nameImages(found: FoundImage[], file: string, tag: string | undefined): { image: FoundImage; refs: string[] }[] {
  if (found.length === 0) throw new UserError(`${file} contains no images`);
  if (tag !== undefined) {
    if (found.length > 1) throw new UserError(`${file} contains ${found.length} images and --tag can name only one`, "import it without --tag to keep the names it carries");
    return [{ image: found[0]!, refs: [formatReference(parseReference(tag))] }];
  }
  return found.map((image) => {
    if (image.names.length === 0) {
      throw new UserError(`${file} does not say what its image is called`, "pass --tag NAME[:TAG] to name it");
    }
    return { image, refs: image.names.map((name) => formatReference(parseReference(name))) };
  });
}

/** `docker save`: manifest.json lists config and layer files (old style paths or blobs/sha256/). */
async function readDockerSave(reader: SourceReader, blobs: BlobStore): Promise<FoundImage[]> {
  const entries = reader.json<{ Config?: unknown; RepoTags?: unknown; Layers?: unknown }[]>("manifest.json");
  if (!Array.isArray(entries)) throw reader.malformed("manifest.json is not a list");
  const found: FoundImage[] = [];
  for (const entry of entries) {
    if (typeof entry.Config !== "string" || !Array.isArray(entry.Layers) || !entry.Layers.every((l) => typeof l === "string")) {
      throw reader.malformed("an entry of manifest.json lacks Config or Layers");
    }
    const config = await blobs.ingestFile(reader.path(entry.Config));
    const layers: Descriptor[] = [];
    for (const layerFile of entry.Layers as string[]) {
      const path = reader.path(layerFile);
      const stored = await blobs.ingestFile(path);
      layers.push({ mediaType: sniffCompression(path) === "gzip" ? MediaType.ociLayerGzip : MediaType.ociLayer, ...stored });
    }
    // docker save carries no manifest of its own; we write the OCI manifest a registry would serve.
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, ...config }, layers }),
    );
    const { digest } = await blobs.ingestBytes(manifest);
    const names = Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t): t is string => typeof t === "string") : [];
    found.push({ digest, configDigest: config.digest, layers: layers.map((l) => l.digest), names });
  }
  return found;
}

/** OCI image layout: index.json points at manifests (or nested indexes) in blobs/sha256/. */
async function readOciLayout(reader: SourceReader, blobs: BlobStore): Promise<FoundImage[]> {
  const index = parseManifest(readFileSync(reader.path("index.json")), MediaType.ociIndex, "index.json");
  if (index.kind !== "index") throw reader.malformed("index.json is not an image index");
  const found: FoundImage[] = [];
  for (const entry of index.manifests) {
    let descriptor = entry;
    let manifest = await readManifestBlob(reader, blobs, descriptor);
    if (manifest.kind === "index") {
      descriptor = pickPlatform(manifest.manifests, reader.name);
      manifest = await readManifestBlob(reader, blobs, descriptor);
    }
    if (manifest.kind === "index") throw reader.malformed("an index points at another index");
    await verifyBlob(reader, blobs, manifest.config);
    for (const layer of manifest.layers) await verifyBlob(reader, blobs, layer);
    found.push({
      digest: descriptor.digest,
      configDigest: manifest.config.digest,
      layers: manifest.layers.map((l) => l.digest),
      names: ociNames(entry.annotations),
    });
  }
  return found;
}

/**
 * containerd and newer Docker put the full name in io.containerd.image.name; the OCI annotation
 * is often just a tag ("latest"), which names no repository and so cannot be used alone.
 */
function ociNames(annotations: Record<string, string> | undefined): string[] {
  const full = annotations?.["io.containerd.image.name"];
  if (full) return [full];
  const refName = annotations?.["org.opencontainers.image.ref.name"];
  return refName && /[/:]/.test(refName) ? [refName] : [];
}

async function readManifestBlob(reader: SourceReader, blobs: BlobStore, descriptor: Descriptor) {
  await verifyBlob(reader, blobs, descriptor);
  return parseManifest(blobs.read(descriptor.digest), descriptor.mediaType ?? null, reader.name);
}

async function verifyBlob(reader: SourceReader, blobs: BlobStore, descriptor: Descriptor): Promise<void> {
  if (!blobs.has(descriptor.digest)) await blobs.ingestFile(reader.blob(descriptor.digest), descriptor);
}

/** Reads files of the unpacked source by their archive paths, never leaving the source directory. */
class SourceReader {
  constructor(
    private readonly dir: string,
    readonly name: string,
  ) {}

  /** The path of a regular file of the source: a FIFO there would hang the import, a directory fail it with EISDIR. */
  path(relative: string): string {
    if (relative.startsWith("/") || relative.split("/").includes("..")) throw this.malformed(`it refers to "${relative}", outside itself`);
    const path = resolveInRoot(this.dir, relative.split("/"));
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      throw this.malformed(`${relative} is missing`);
    }
    if (!stats.isFile()) {
      throw new UserError(`cannot import ${this.name}: ${relative} is ${fileKind(stats)}, not a regular file`, "an image archive holds regular files only: export or copy the image again");
    }
    return path;
  }

  blob(digest: string): string {
    if (!SHA256_DIGEST.test(digest)) throw this.malformed(`unsupported digest ${digest}`);
    return this.path(`blobs/sha256/${digestHex(digest)}`);
  }

  exists(relative: string): boolean {
    return existsSync(resolveInRoot(this.dir, relative.split("/")));
  }

  json<T>(relative: string): T {
    try {
      return JSON.parse(readFileSync(this.path(relative), "utf8")) as T;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw this.malformed(`${relative} is not JSON`);
    }
  }

  malformed(why: string): UserError {
    return new UserError(`cannot import ${this.name}: ${why}`);
  }
}

/** What a file that is not a regular one is, for a message. */
function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}
