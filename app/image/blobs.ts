import { createHash } from "node:crypto";
import { closeSync, createReadStream, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { Readable } from "node:stream";
import { UserError } from "../errors.js";
import { mkdirPrivate } from "../private-dir.js";
import { diskFull } from "./disk-full.js";
import type { StoreLayout } from "./layout.js";

export interface Expected {
  digest: string;
  size?: number;
}

/**
 * Content-addressed blobs under blobs/sha256/<hex>. A blob only ever appears there by an atomic
 * rename after its sha256 (and size, when known) matched, so whatever is in the directory can be
 * trusted without hashing it again.
 */
export class BlobStore {
  constructor(private readonly layout: StoreLayout) {}

  path(digest: string): string {
    return this.layout.blob(digest);
  }

  has(digest: string): boolean {
    return existsSync(this.layout.blob(digest));
  }

  read(digest: string): Buffer {
    return readFileSync(this.layout.blob(digest));
  }

  /**
   * Streams `body` to a temporary file while hashing it, then moves it into place. With
   * `expected`, a digest or size mismatch is an error and nothing is kept; without, the blob is
   * stored under whatever digest it has, and `source` names it in errors. Returns the digest and size.
   */
  async ingest(
    body: AsyncIterable<Uint8Array>,
    expected?: Expected,
    onBytes?: (done: number) => void,
    source?: string,
  ): Promise<{ digest: string; size: number }> {
    const tmp = this.layout.scratch("blob");
    const hash = createHash("sha256");
    let size = 0;
    try {
      // Created synchronously: a lazily opened stream could create the file after the cleanup below.
      const fd = openSync(tmp, "wx");
      try {
        for await (const chunk of body) {
          size += chunk.byteLength;
          if (expected?.size !== undefined && size > expected.size) {
            throw new UserError(`blob ${expected.digest} is larger than the ${expected.size} bytes its manifest declares`, "the source served corrupt data; nothing was stored");
          }
          hash.update(chunk);
          onBytes?.(size);
          // Synchronous: a chunk lands in the page cache at once, cheaper than a trip through the thread pool.
          for (let done = 0; done < chunk.byteLength; ) done += writeSync(fd, chunk, done);
        }
      } finally {
        closeSync(fd);
      }
      const digest = `sha256:${hash.digest("hex")}`;
      if (expected && expected.digest !== digest) {
        throw new UserError(`blob ${expected.digest} failed verification: its content hashes to ${digest}`, "the source served corrupt data; nothing was stored");
      }
      if (expected?.size !== undefined && size !== expected.size) {
        throw new UserError(`blob ${expected.digest} is ${size} bytes, not the ${expected.size} its manifest declares`, "the source served corrupt data; nothing was stored");
      }
      mkdirPrivate(this.layout.blobsDir);
      renameSync(tmp, this.layout.blob(digest));
      return { digest, size };
    } catch (error) {
      const blob = expected ? `blob ${expected.digest}` : source ? `the blob ${source}` : "a blob";
      throw diskFull(error, `cannot store ${blob}`, this.layout.root) ?? error;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  ingestFile(file: string, expected?: Expected): Promise<{ digest: string; size: number }> {
    return this.ingest(createReadStream(file), expected, undefined, file);
  }

  ingestBytes(bytes: Uint8Array, expected?: Expected): Promise<{ digest: string; size: number }> {
    return this.ingest(Readable.from([bytes]), expected);
  }

  list(): string[] {
    try {
      return readdirSync(this.layout.blobsDir).map((hex) => `sha256:${hex}`);
    } catch {
      return [];
    }
  }

  remove(digest: string): void {
    rmSync(this.layout.blob(digest), { force: true });
  }
}
