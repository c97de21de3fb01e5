import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { UserError } from "../errors.js";
import { mkdirPrivate } from "../private-dir.js";
import type { BlobStore } from "./blobs.js";
import { shortDigest } from "./digest.js";
import { applyLayer } from "./extract.js";
import type { StoreLayout } from "./layout.js";

/**
 * Each layer unpacked on its own under layers/<hex>/, whiteouts kept as overlayfs markers, for
 * stacking as lowerdirs of an overlay mount. Made on first request and kept.
 */
export async function ensureLayerDir(layout: StoreLayout, blobs: BlobStore, layer: string): Promise<string> {
  const dir = layout.layer(layer);
  if (existsSync(dir)) return dir;
  if (!blobs.has(layer)) {
    throw new UserError(`layer ${shortDigest(layer)} is missing from the image store`, "remove the image and pull it again");
  }
  const work = layout.scratch("layer");
  try {
    mkdirSync(work, { mode: 0o755 });
    await applyLayer(blobs.path(layer), work, { label: `layer ${shortDigest(layer)}`, whiteouts: "overlay" });
    mkdirPrivate(layout.layersDir);
    try {
      renameSync(work, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
