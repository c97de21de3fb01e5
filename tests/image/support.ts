/** Shared bits of the image tests: temp dirs cleaned after each test, and a look at a store's files. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under os.tmpdir(), removed after the current test. */
export function tempDir(label = "image-test"): string {
  const dir = mkdtempSync(join(tmpdir(), `workshop-${label}-`));
  made.push(dir);
  return dir;
}

/** Every path under `dir`, relative and sorted, for before/after comparisons. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(d, entry.name);
      out.push(relative(dir, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out.sort();
}

/** What a store holds, top-level entry by entry (absent directories read as empty). */
export function storeSummary(root: string): Record<"images" | "refs" | "tmp" | "blobs" | "layers", string[]> {
  const list = (...parts: string[]) => {
    try {
      return readdirSync(join(root, ...parts)).sort();
    } catch {
      return [];
    }
  };
  return { images: list("images"), refs: list("refs"), tmp: list("tmp"), blobs: list("blobs", "sha256"), layers: list("layers") };
}
