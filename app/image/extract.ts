import { closeSync, createReadStream, linkSync, lchownSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readSync, rmSync, symlinkSync, chmodSync, utimesSync, writeSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import { UserError } from "../errors.js";
import { diskFull } from "./disk-full.js";
import { makeWhiteout, markOpaque } from "./overlay-marks.js";
import { resolveInRoot } from "../given/resolve-in-root.js";

/**
 * "apply": whiteouts delete from the tree below (building a flattened rootfs).
 * "overlay": whiteouts become overlayfs markers (building one layer directory of an overlay mount).
 */
export type WhiteoutMode = "apply" | "overlay";

export interface ApplyOptions {
  label: string; // names the archive in errors, e.g. "layer sha256:0123456789ab"
  whiteouts: WhiteoutMode;
}

/** One entry of a tar-stream extract: its header plus a readable stream of its data. */
type TarEntry = tar.Extract extends AsyncIterable<infer Entry> ? Entry : never;

const WHITEOUT_PREFIX = ".wh.";
const OPAQUE_MARKER = ".wh..wh..opq";
const RUNNING_AS_ROOT = process.getuid?.() === 0;

/**
 * Unpacks a layer tarball (gzip or plain) onto `dest`. Every path is resolved inside `dest`
 * (symlinks clamped to it), so nothing in the archive can write outside it. Device nodes and
 * FIFOs are skipped: containers get /dev from the runtime.
 */
export async function applyLayer(archive: string, dest: string, options: ApplyOptions): Promise<void> {
  const compression = sniffCompression(archive);
  if (compression === "zstd") {
    throw new UserError(`${options.label} is zstd-compressed, which the workshop cannot unpack`, "use an image whose layers are gzip-compressed (most are)");
  }
  const layer = new LayerWriter(dest, options);
  const extract = tar.extract();
  // Large chunks (1 MB read, 256 KB out of gunzip): with the defaults (64 KB, 16 KB) the hops
  // between streams, not inflating, took most of the time (~4x slower on 30 MB of layers).
  const input = createReadStream(archive, { highWaterMark: 1 << 20 });
  let feedError: unknown;
  const feeding = (compression === "gzip" ? pipeline(input, createGunzip({ chunkSize: 1 << 18 }), extract) : pipeline(input, extract)).catch((error: unknown) => {
    feedError = error;
  });
  const unreadable = (cause: unknown) =>
    new UserError(`${options.label} is not a readable tar archive: ${cause instanceof Error ? cause.message : String(cause)}`);
  try {
    for await (const entry of extract) {
      try {
        await layer.add(entry);
      } catch (error) {
        if (error instanceof UserError) throw error;
        // A host-side failure (disk full, ...) while writing this entry, not a bad archive.
        const failed = `cannot unpack "${entry.header.name}" of ${options.label}`;
        throw diskFull(error, failed, dest) ?? new UserError(`${failed}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } catch (error) {
    input.destroy();
    await feeding;
    throw error instanceof UserError ? error : unreadable(feedError ?? error);
  }
  await feeding;
  if (feedError) throw unreadable(feedError);
  layer.finish();
}

export function sniffCompression(file: string): "gzip" | "zstd" | "none" {
  const magic = Buffer.alloc(4);
  const fd = openSync(file, "r");
  try {
    readSync(fd, magic, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (magic[0] === 0x1f && magic[1] === 0x8b) return "gzip";
  if (magic.readUInt32LE(0) === 0xfd2fb528) return "zstd";
  return "none";
}

/** Applies one archive's entries in order; remembers what this archive wrote for whiteout rules. */
class LayerWriter {
  // Host paths this archive created, plus all their ancestors: whiteouts and opaque markers
  // only hide what lower layers put there, never this layer's own entries, whatever the tar order.
  private readonly written = new Set<string>();
  private readonly directoryTimes: [string, Date][] = [];

  constructor(
    private readonly dest: string,
    private readonly options: ApplyOptions,
  ) {}

  async add(entry: TarEntry): Promise<void> {
    const header = entry.header;
    const parts = this.components(header.name, header.name);
    if (parts.length === 0) return drain(entry); // the archive's root directory itself
    const name = parts.at(-1)!;
    const parent = this.parentDir(parts.slice(0, -1), header.name);

    if (name.startsWith(WHITEOUT_PREFIX)) {
      const hidden = name.slice(WHITEOUT_PREFIX.length);
      if (name !== OPAQUE_MARKER && (hidden === "" || hidden === "." || hidden === "..")) {
        throw this.unsafe(header.name, "it is a whiteout of no valid name");
      }
      this.whiteout(parent, name);
      return drain(entry);
    }
    const target = join(parent, name);
    switch (header.type) {
      case "file":
      case "contiguous-file":
        this.clear(target);
        // O_EXCL after clear(): never opens through a symlink someone raced in.
        await writeFile(openSync(target, "wx", 0o600), entry);
        this.setMetadata(target, header);
        break;
      case "directory":
        if (!isDirectory(lstatOrUndefined(target))) {
          this.clear(target);
          mkdirSync(target);
        }
        this.setOwner(target, header);
        chmodSync(target, (header.mode ?? 0o755) & 0o7777);
        if (header.mtime) this.directoryTimes.push([target, header.mtime]);
        drain(entry);
        break;
      case "symlink":
        this.clear(target);
        symlinkSync(header.linkname ?? "", target);
        this.setOwner(target, header);
        if (header.mtime) lutimesSync(target, header.mtime, header.mtime);
        drain(entry);
        break;
      case "link":
        this.hardLink(target, header);
        drain(entry);
        break;
      default:
        // Character and block devices, FIFOs and anything exotic are left out on purpose.
        return drain(entry);
    }
    this.remember(target);
  }

  /** Directory mtimes last: creating children inside them would bump them again. */
  finish(): void {
    for (const [dir, mtime] of this.directoryTimes.reverse()) utimesSync(dir, mtime, mtime);
  }

  private components(path: string, entryName: string): string[] {
    if (path.startsWith("/")) throw this.unsafe(entryName, "its path is absolute");
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    if (parts.includes("..")) throw this.unsafe(entryName, "its path contains '..'");
    return parts;
  }

  /** Resolves (clamped) and creates the entry's parent directory. */
  private parentDir(parts: string[], entryName: string): string {
    const parent = resolveInRoot(this.dest, parts);
    try {
      mkdirSync(parent, { recursive: true, mode: 0o755 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR" || code === "EEXIST") throw this.unsafe(entryName, "a parent of it is not a directory");
      throw error;
    }
    return parent;
  }

  private whiteout(parent: string, name: string): void {
    if (this.options.whiteouts === "overlay") {
      if (name === OPAQUE_MARKER) markOpaque(parent);
      else {
        const hidden = join(parent, name.slice(WHITEOUT_PREFIX.length));
        this.clear(hidden);
        makeWhiteout(hidden);
        this.remember(hidden);
      }
      return;
    }
    if (name === OPAQUE_MARKER) {
      for (const child of readdirSync(parent)) {
        const path = join(parent, child);
        if (!this.written.has(path)) rmSync(path, { recursive: true, force: true });
      }
      return;
    }
    const hidden = join(parent, name.slice(WHITEOUT_PREFIX.length));
    if (!this.written.has(hidden)) rmSync(hidden, { recursive: true, force: true });
  }

  /** Hard links must name an existing non-directory of this tree; the link is made to that inode. */
  private hardLink(target: string, header: tar.Header): void {
    const linkname = header.linkname ?? "";
    const parts = this.components(linkname, header.name);
    const source = parts.length ? join(resolveInRoot(this.dest, parts.slice(0, -1)), parts.at(-1)!) : this.dest;
    const stats = lstatOrUndefined(source);
    if (!stats || stats.isDirectory()) {
      throw this.unsafe(header.name, `it is a hard link to "${linkname}", which is not a file in the image`);
    }
    if (source === target) return;
    this.clear(target);
    linkSync(source, target);
  }

  /** Never write through what is already there: a symlink or file at the target is removed first. */
  private clear(target: string): void {
    if (lstatOrUndefined(target)) rmSync(target, { recursive: true, force: true });
  }

  private setMetadata(path: string, header: tar.Header): void {
    this.setOwner(path, header);
    // chmod after chown: chown clears setuid/setgid bits.
    chmodSync(path, (header.mode ?? 0o644) & 0o7777);
    if (header.mtime) utimesSync(path, header.mtime, header.mtime);
  }

  private setOwner(path: string, header: tar.Header): void {
    if (RUNNING_AS_ROOT) lchownSync(path, header.uid ?? 0, header.gid ?? 0);
  }

  private remember(path: string): void {
    for (let p = path; p.length > this.dest.length && !this.written.has(p); p = dirname(p)) this.written.add(p);
  }

  private unsafe(entryName: string, why: string): UserError {
    return new UserError(
      `${this.options.label} has an unsafe entry "${entryName}": ${why}`,
      "the image is malformed or hostile; it was not installed",
    );
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function isDirectory(stats: Stats | undefined): boolean {
  return stats?.isDirectory() ?? false;
}

/** Skips an entry's data; tar-stream discards it as it parses on to the next header. */
function drain(entry: TarEntry): void {
  entry.resume();
}

/**
 * Writes an entry's data to `fd` and closes it. Synchronous writes: each chunk lands in the page
 * cache at once, where handing every chunk to the thread pool cost more than the write itself.
 */
async function writeFile(fd: number, entry: TarEntry): Promise<void> {
  try {
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done);
    }
  } finally {
    closeSync(fd);
  }
}
