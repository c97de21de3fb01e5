import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { keepPrivate, mkdirPrivate } from "../private-dir.js";
import { digestHex } from "./digest.js";
import { bytesOf } from "./disk-usage.js";

/**
 * Where everything lives under the store's root (see docs/image-store.md). Directories are
 * created when first written to, so a store that was never used is just an absent directory.
 * All of them are root's alone (app/private-dir.ts); a store made before that rule is brought
 * under it when opened.
 */
export class StoreLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    for (const dir of [join(this.root, "blobs"), this.blobsDir, this.imagesDir, this.layersDir, this.refsDir, this.tmpDir]) keepPrivate(dir);
  }

  get blobsDir(): string {
    return join(this.root, "blobs", "sha256");
  }
  get imagesDir(): string {
    return join(this.root, "images");
  }
  get layersDir(): string {
    return join(this.root, "layers");
  }
  get refsDir(): string {
    return join(this.root, "refs");
  }
  get tmpDir(): string {
    return join(this.root, "tmp");
  }

  blob(digest: string): string {
    return join(this.blobsDir, digestHex(digest));
  }
  image(digest: string): string {
    return join(this.imagesDir, digestHex(digest));
  }
  layer(digest: string): string {
    return join(this.layersDir, digestHex(digest));
  }

  /**
   * A fresh path under tmp/ for in-progress work, named after this process so `pruneScratch`
   * can tell abandoned work (its process is gone) from work still under way.
   */
  scratch(label: string): string {
    mkdirPrivate(this.tmpDir);
    return join(this.tmpDir, `${process.pid}-${randomBytes(6).toString("hex")}-${label}`);
  }

  /** True while some live process (this one included) has work in tmp/. */
  hasActiveScratch(): boolean {
    return scratchEntries(this.tmpDir).some((entry) => isAlive(entry.pid));
  }

  /** Removes what interrupted pulls and imports of dead processes left in tmp/; returns how many entries and bytes. */
  pruneScratch(): { entries: number; bytes: number } {
    const freed = { entries: 0, bytes: 0 };
    for (const entry of scratchEntries(this.tmpDir)) {
      if (isAlive(entry.pid)) continue;
      const path = join(this.tmpDir, entry.name);
      freed.bytes += bytesOf(path);
      freed.entries++;
      rmSync(path, { recursive: true, force: true });
    }
    return freed;
  }
}

function scratchEntries(dir: string): { name: string; pid: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((name) => ({ name, pid: Number.parseInt(name, 10) }));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
