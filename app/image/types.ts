/** The shapes other parts of the workshop see; app/image/store.ts re-exports them. */
import type { ImageConfig } from "../runtime/contract.js";

// The image config is part of the contract with implementations (the image-config bonus step).
export type { ImageConfig };

export interface ImageRecord {
  ref: string; // normalised reference it was stored under, e.g. "docker.io/library/alpine:3.20"
  name: string; // for display: official images without "docker.io/library/"
  tag: string; // "<none>" for an image stored by digest only
  digest: string; // sha256 of the platform-specific manifest
  size: number; // bytes of regular files in the unpacked rootfs
  config: ImageConfig;
  rootfs: string; // absolute path of the flattened root filesystem
  layers: string[]; // layer blob digests, lowest first
  builtFrom?: string; // set when the store built this image under this name instead of pulling it: from what
}

/** What `ImageStore.remove` did. */
export interface Removal {
  untagged: string[]; // the refs removed
  deleted: boolean; // the image itself is gone
  waitingFor: string[]; // running containers it is left to, to be deleted once they have exited
}

/** What `ImageStore.prune` removed. */
export interface Freed {
  blobs: number; // verified blobs no image uses
  layerDirs: number; // per-layer directories no image uses
  scratch: number; // leftovers of interrupted pulls and imports
  bytes: number; // all of them together
}

export interface PullProgress {
  layer(digest: string, done: number, total: number): void;
  status(line: string): void;
}

/** Knobs for the network side; the defaults suit a real registry, tests shorten them. */
export interface ImageStoreOptions {
  idleTimeoutMs?: number; // a request that sends nothing for this long is given up (default 30 s)
  attempts?: number; // tries per request when the registry or network fails transiently (default 3)
  retryDelayMs?: number; // first back-off; doubles each retry (default 500 ms)
  concurrentDownloads?: number; // layers fetched at once (default 3)
}
