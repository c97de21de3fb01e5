import { readdirSync, rmSync } from "node:fs";
import { UserError } from "../errors.js";
import { BlobStore } from "./blobs.js";
import { digestHex } from "./digest.js";
import { bytesOf } from "./disk-usage.js";
import { ImageDirs } from "./images.js";
import { StoreLayout } from "./layout.js";
import { displayName, formatReference, parseReference } from "./reference.js";
import type { ImportContext } from "./import.js";
import type { RegistryUnreachable } from "./network-failure.js";
import { RefIndex, type RefEntry } from "./refs.js";
import type { RegistryTiming } from "./registry.js";
import type { Freed, ImageRecord, ImageStoreOptions, PullProgress, Removal } from "./types.js";

export type { Freed, ImageConfig, ImageRecord, ImageStoreOptions, PullProgress, Removal } from "./types.js";
export { progressPrinter } from "./progress.js";

const ID_PREFIX = /^(sha256:)?([a-f0-9]{12,64})$/;

// Pulling, importing and unpacking (the registry client, tar, gzip, koffi) are imported when first
// used: `container run` of an image already here, the common case, starts without loading them.

/**
 * The local image store: pulls from registries, imports archives, and hands the runtime a
 * flattened rootfs (or per-layer dirs for overlayfs). The on-disk layout is described in
 * docs/image-store.md.
 */
export class ImageStore {
  private readonly layout: StoreLayout;
  private readonly blobs: BlobStore;
  private readonly images: ImageDirs;
  private readonly refs: RefIndex;
  private readonly timing: RegistryTiming;
  private readonly concurrentDownloads: number;

  constructor(root: string, options: ImageStoreOptions = {}) {
    this.layout = new StoreLayout(root);
    this.blobs = new BlobStore(this.layout);
    this.images = new ImageDirs(this.layout, this.blobs);
    this.refs = new RefIndex(this.layout);
    this.timing = {
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      attempts: options.attempts ?? 3,
      retryDelayMs: options.retryDelayMs ?? 500,
    };
    this.concurrentDownloads = options.concurrentDownloads ?? 3;
  }

  /** Local lookup by reference, name@digest, or an image digest (prefix of at least 12 hex digits). */
  resolve(ref: string): ImageRecord | undefined {
    const id = ID_PREFIX.exec(ref);
    if (id?.[1]) return this.byDigestPrefix(id[2]!);
    let name: string;
    try {
      name = formatReference(parseReference(ref));
    } catch (error) {
      if (id) return this.byDigestPrefix(id[2]!);
      throw error;
    }
    const entry = this.refs.entry(name);
    if (entry) return this.record(entry);
    const pinned = parseReference(ref).digest;
    if (pinned && this.images.has(pinned)) return this.record({ ref: name, digest: pinned });
    return id ? this.byDigestPrefix(id[2]!) : undefined;
  }

  /**
   * Pulls `ref` from its registry. With `buildOffline`, Docker Hub's busybox (the course's image)
   * is built from this machine's static busybox instead when the registry cannot be reached at all,
   * and `buildOffline` is given the line that says so (see busybox-offline.ts).
   */
  async pull(ref: string, opts: { progress?: PullProgress; signal?: AbortSignal; buildOffline?: (notice: string) => void } = {}): Promise<ImageRecord> {
    const { pullImage } = await import("./pull.js");
    const { buildOffline, ...options } = opts;
    const whenUnreachable =
      buildOffline &&
      (async (filed: string, error: RegistryUnreachable) => {
        const { buildBusyboxOffline } = await import("./busybox-offline.js");
        return buildBusyboxOffline(filed, error, this.importContext(), { signal: opts.signal, notice: buildOffline });
      });
    const pulled = await pullImage(
      ref,
      { blobs: this.blobs, images: this.images, refs: this.refs, timing: this.timing, concurrentDownloads: this.concurrentDownloads },
      { ...options, whenUnreachable },
    );
    return this.mustRecord(pulled.ref, pulled.digest);
  }

  async import(file: string, opts: { tag?: string } = {}): Promise<ImageRecord[]> {
    const { importImages } = await import("./import.js");
    const imported = await importImages(file, this.importContext(), opts);
    return imported.map(({ ref, digest }) => this.mustRecord(ref, digest));
  }

  private importContext(): ImportContext {
    return { layout: this.layout, blobs: this.blobs, images: this.images, refs: this.refs };
  }

  /** One record per ref, sorted by name and tag, like `docker images`. */
  list(): ImageRecord[] {
    return this.refs
      .entries()
      .map((entry) => this.record(entry))
      .filter((r): r is ImageRecord => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name) || a.tag.localeCompare(b.tag));
  }

  /**
   * By reference: untags it. By digest: untags every ref of that image. An image left without refs
   * is deleted, then blobs and layer dirs no remaining image uses; unless a running container uses
   * it (`usersOf` names them). That is refused, or with `force` the image is untagged now and
   * deleted once the last of them has exited (`removeReleased`).
   */
  remove(ref: string, { force = false, usersOf = () => [] }: { force?: boolean; usersOf?: (digest: string) => string[] } = {}): Removal {
    const image = this.resolve(ref);
    if (!image) throw new UserError(`no such image: ${ref}`, "`container images` lists the images there are.");
    const byRef = this.refs.get(image.ref) !== undefined && !ID_PREFIX.test(ref);
    const refs = this.refs.entries().filter((e) => e.digest === image.digest).map((e) => e.ref);
    const untag = byRef ? [image.ref] : refs;
    const lastRef = refs.every((r) => untag.includes(r));
    const users = lastRef ? usersOf(image.digest) : [];
    if (users.length > 0 && !force) {
      const them = users.length > 1 ? `containers ${users.join(", ")}` : `container ${users[0]}`;
      throw new UserError(
        `cannot remove ${ref}: the image is in use by ${them}`,
        `stop ${users.length > 1 ? "them" : "it"} first, or \`container rmi --force ${ref}\` removes the image once ${users.length > 1 ? "they have" : "it has"} exited`,
      );
    }
    for (const r of untag) this.refs.delete(r);
    // Another name for the image may have come meanwhile (a pull): then it stays.
    if (!lastRef || this.refs.entries().some((e) => e.digest === image.digest)) return { untagged: untag, deleted: false, waitingFor: [] };
    if (users.length > 0) {
      this.images.markForRemoval(image.digest);
      return { untagged: untag, deleted: false, waitingFor: users };
    }
    this.images.remove(image.digest);
    this.collectGarbage();
    return { untagged: untag, deleted: true, waitingFor: [] };
  }

  /**
   * Deletes the images `remove` left to running containers, now that `inUse` says none uses
   * them; returns their digests. One that was given a name again meanwhile is kept, for good.
   */
  removeReleased(inUse: (digest: string) => boolean): string[] {
    const marked = this.images.markedForRemoval();
    if (marked.length === 0) return [];
    const named = new Set(this.refs.entries().map((e) => e.digest));
    const removed: string[] = [];
    for (const digest of marked) {
      if (named.has(digest)) this.images.unmarkForRemoval(digest);
      else if (!inUse(digest)) {
        this.images.remove(digest);
        removed.push(digest);
      }
    }
    if (removed.length > 0) this.collectGarbage();
    return removed;
  }

  async layerDirs(image: ImageRecord): Promise<string[]> {
    const { ensureLayerDir } = await import("./layer-dirs.js");
    const dirs: string[] = [];
    for (const layer of image.layers) dirs.push(await ensureLayerDir(this.layout, this.blobs, layer));
    return dirs;
  }

  /**
   * Removes what interrupted pulls and imports left behind: their work in tmp/ and verified
   * blobs that no image ended up using (kept until then so a retried pull need not fetch them).
   */
  prune(): Freed {
    const scratch = this.layout.pruneScratch();
    const garbage = this.collectGarbage();
    return { ...garbage, scratch: scratch.entries, bytes: scratch.bytes + garbage.bytes };
  }

  /**
   * Deletes blobs and layer dirs that no stored image refers to. Skipped while a pull or import
   * is under way (it may have fetched blobs no image refers to yet); a later removal catches up.
   */
  private collectGarbage(): { blobs: number; layerDirs: number; bytes: number } {
    const freed = { blobs: 0, layerDirs: 0, bytes: 0 };
    if (this.layout.hasActiveScratch()) return freed;
    const used = new Set<string>();
    for (const digest of this.images.digests()) {
      const image = this.images.read(digest);
      if (!image) continue;
      used.add(image.digest).add(image.configDigest);
      for (const layer of image.layers) used.add(layer);
    }
    for (const blob of this.blobs.list()) {
      if (used.has(blob)) continue;
      freed.bytes += bytesOf(this.blobs.path(blob));
      freed.blobs++;
      this.blobs.remove(blob);
    }
    let layerDirs: string[] = [];
    try {
      layerDirs = readdirSync(this.layout.layersDir);
    } catch {
      // no layer dirs were ever made
    }
    for (const hex of layerDirs) {
      if (used.has(`sha256:${hex}`)) continue;
      const dir = this.layout.layer(`sha256:${hex}`);
      freed.bytes += bytesOf(dir);
      freed.layerDirs++;
      rmSync(dir, { recursive: true, force: true });
    }
    return freed;
  }

  private byDigestPrefix(hexPrefix: string): ImageRecord | undefined {
    const matches = this.images.digests().filter((d) => digestHex(d).startsWith(hexPrefix));
    if (matches.length > 1) {
      throw new UserError(`image ID ${hexPrefix} is ambiguous: ${matches.length} images start with it`, "give more digits of the ID");
    }
    const digest = matches[0];
    if (!digest) return undefined;
    return this.record(this.refs.entries().find((e) => e.digest === digest) ?? { ref: `sha256:${digestHex(digest)}`, digest });
  }

  private record({ ref, digest, builtFrom }: RefEntry): ImageRecord | undefined {
    const image = this.images.read(digest);
    if (!image) return undefined;
    let name = "<none>";
    let tag = "<none>";
    try {
      const parsed = parseReference(ref);
      name = displayName(parsed);
      tag = parsed.tag ?? "<none>";
    } catch {
      // an image known only by its digest has no name to show
    }
    return {
      ref,
      name,
      tag,
      digest,
      size: image.size,
      config: image.config,
      rootfs: this.images.rootfs(digest),
      layers: image.layers,
      ...(builtFrom === undefined ? {} : { builtFrom }),
    };
  }

  private mustRecord(ref: string, digest: string): ImageRecord {
    const entry = this.refs.entry(ref);
    const record = this.record(entry?.digest === digest ? entry : { ref, digest });
    if (!record) throw new UserError(`image ${ref} vanished from the store while it was being stored`, "it may have been removed at the same time: try again");
    return record;
  }
}
