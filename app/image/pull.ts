import { UserError } from "../errors.js";
import type { BlobStore } from "./blobs.js";
import { shortDigest } from "./digest.js";
import type { ImageDirs } from "./images.js";
import { parseImageConfig, parseManifest, pickPlatform, type Descriptor } from "./manifest.js";
import { RegistryUnreachable } from "./network-failure.js";
import { formatReference, parseReference } from "./reference.js";
import type { RefIndex } from "./refs.js";
import { RegistryClient, type RegistryTiming } from "./registry.js";
import type { PullProgress } from "./types.js";

export interface PullContext {
  blobs: BlobStore;
  images: ImageDirs;
  refs: RefIndex;
  timing: RegistryTiming;
  concurrentDownloads: number;
}

const quiet: PullProgress = { layer() {}, status() {} };

export interface PullOptions {
  progress?: PullProgress;
  signal?: AbortSignal;
  /**
   * Asked, instead of failing, when nothing of the registry ever answered (no network, no DNS,
   * refused): it may store something else under `ref` and return it, or throw. Never asked once
   * the registry has answered anything, so an image a registry serves is never replaced.
   */
  whenUnreachable?: (ref: string, error: RegistryUnreachable) => Promise<{ ref: string; digest: string }>;
}

/** Pulls `input` from its registry into the store and returns the ref it was filed under. */
export async function pullImage(input: string, context: PullContext, options: PullOptions = {}): Promise<{ ref: string; digest: string }> {
  const reference = parseReference(input);
  const ref = formatReference(reference);
  const { progress = quiet, signal, whenUnreachable } = options;
  const registry = new RegistryClient(reference.registry, context.timing);
  try {
    return await pull().catch((error: unknown) => {
      if (whenUnreachable && error instanceof RegistryUnreachable && !registry.answered && !signal?.aborted) return whenUnreachable(ref, error);
      throw error;
    });
  } catch (error) {
    if (signal?.aborted) throw new UserError(`pull of ${ref} was interrupted`, "nothing was stored; run the pull again", 130);
    throw error;
  }

  async function pull() {
    const repository = reference.repository;
    progress.status(`Pulling ${ref}`);

    let fetched = await registry.manifest(repository, reference.digest ?? reference.tag!, signal);
    let manifest = parseManifest(fetched.bytes, fetched.mediaType, ref);
    if (manifest.kind === "index") {
      const chosen = pickPlatform(manifest.manifests, ref);
      fetched = await registry.manifest(repository, chosen.digest, signal);
      manifest = parseManifest(fetched.bytes, fetched.mediaType, ref);
      if (manifest.kind === "index") throw new UserError(`the index of ${ref} points at another index`, "nested indexes are not supported");
    }
    const digest = fetched.digest;

    if (context.images.has(digest)) {
      progress.status(`Image is up to date for ${ref}`);
    } else {
      const fetchBlob = (blob: Descriptor, blobSignal: AbortSignal | undefined, onBytes?: (done: number) => void) =>
        context.blobs.has(blob.digest)
          ? Promise.resolve()
          : registry.blob(repository, blob.digest, (body) => context.blobs.ingest(body, blob, onBytes), blobSignal);

      await fetchBlob(manifest.config, signal);
      const config = parseImageConfig(context.blobs.read(manifest.config.digest), ref);
      await eachConcurrently(manifest.layers, context.concurrentDownloads, signal, async (layer, layerSignal) => {
        if (context.blobs.has(layer.digest)) {
          progress.status(`${shortDigest(layer.digest)}: already exists`);
          return;
        }
        progress.layer(layer.digest, 0, layer.size);
        await fetchBlob(layer, layerSignal, (done) => progress.layer(layer.digest, done, layer.size));
      });
      await context.blobs.ingestBytes(fetched.bytes, { digest });
      progress.status(`Unpacking ${ref}`);
      await context.images.install(
        { digest, configDigest: manifest.config.digest, config, layers: manifest.layers.map((l) => l.digest) },
        signal,
      );
      progress.status(`Downloaded newer image for ${ref}`);
    }
    context.refs.set(ref, digest);
    progress.status(`Digest: ${digest}`);
    return { ref, digest };
  }
}

/**
 * Runs `work` over `items`, at most `limit` at a time. The first failure cancels the others
 * (through the signal `work` receives, which also follows `outer`) and is what gets thrown.
 */
async function eachConcurrently<T>(
  items: readonly T[],
  limit: number,
  outer: AbortSignal | undefined,
  work: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const cancel = new AbortController();
  const signal = outer ? AbortSignal.any([outer, cancel.signal]) : cancel.signal;
  let next = 0;
  let firstError: { error: unknown } | undefined;
  const worker = async () => {
    while (!firstError && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item, signal);
      } catch (error) {
        firstError ??= { error };
        cancel.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (firstError) throw firstError.error;
}
