import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mkdirPrivate } from "../private-dir.js";
import { SHA256_DIGEST } from "./digest.js";
import type { StoreLayout } from "./layout.js";

export interface RefEntry {
  ref: string;
  digest: string;
  /** Set when the store built the image under this name itself instead of pulling it: from what. */
  builtFrom?: string;
}

/**
 * Which image each ref names: one small JSON file per ref under refs/, named by the sha256 of the
 * ref (refs can be longer than a file name may be). Each write is a temp file renamed into place,
 * so concurrent pulls replace whole files and never lose each other's updates.
 */
export class RefIndex {
  constructor(private readonly layout: StoreLayout) {}

  private file(ref: string): string {
    return join(this.layout.refsDir, createHash("sha256").update(ref).digest("hex"));
  }

  get(ref: string): string | undefined {
    return this.entry(ref)?.digest;
  }

  entry(ref: string): RefEntry | undefined {
    return readEntry(this.file(ref));
  }

  set(ref: string, digest: string, builtFrom?: string): void {
    const tmp = this.layout.scratch("ref");
    writeFileSync(tmp, `${JSON.stringify({ ref, digest, builtFrom } satisfies RefEntry)}\n`);
    mkdirPrivate(this.layout.refsDir);
    renameSync(tmp, this.file(ref));
  }

  delete(ref: string): void {
    rmSync(this.file(ref), { force: true });
  }

  entries(): RefEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.layout.refsDir);
    } catch {
      return [];
    }
    return names.map((name) => readEntry(join(this.layout.refsDir, name))).filter((e): e is RefEntry => e !== undefined);
  }
}

function readEntry(file: string): RefEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as Partial<RefEntry>;
    if (typeof entry.ref === "string" && typeof entry.digest === "string" && SHA256_DIGEST.test(entry.digest)) {
      return { ref: entry.ref, digest: entry.digest, ...(typeof entry.builtFrom === "string" ? { builtFrom: entry.builtFrom } : {}) };
    }
  } catch {
    // A missing file is an unknown ref; an unreadable one is treated the same.
  }
  return undefined;
}
