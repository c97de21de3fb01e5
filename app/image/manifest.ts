import { UserError } from "../errors.js";
import { SHA256_DIGEST } from "./digest.js";
import type { ImageConfig } from "./types.js";

export const MediaType = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
} as const;

export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.dockerManifestList,
  MediaType.ociManifest,
  MediaType.dockerManifest,
].join(", ");

/** Manifests are small JSON documents; anything bigger is refused before parsing. */
export const MAX_MANIFEST_BYTES = 4 << 20;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export type Manifest =
  | { kind: "index"; manifests: Descriptor[] }
  | { kind: "image"; config: Descriptor; layers: Descriptor[] };

/**
 * Parses an index/manifest list or an image manifest. `mediaType` (from Content-Type, or null)
 * wins over the document's own field; `where` names the document in errors.
 */
export function parseManifest(bytes: Uint8Array, mediaType: string | null, where: string): Manifest {
  const bad = (why: string) => new UserError(`the manifest of ${where} is not usable: ${why}`);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw bad("it is not JSON");
  }
  if (!isObject(doc)) throw bad(`it is ${describeJson(doc)}, not a JSON object`);
  const type = mediaType?.split(";")[0]?.trim() || (typeof doc.mediaType === "string" ? doc.mediaType : "");
  if (doc.schemaVersion === 1 || type.startsWith("application/vnd.docker.distribution.manifest.v1")) {
    throw new UserError(`${where} uses the old schema 1 manifest format`, "use an image pushed with a Docker or OCI tool from the last few years");
  }
  if (type === MediaType.ociIndex || type === MediaType.dockerManifestList || (!type && Array.isArray(doc.manifests))) {
    if (!Array.isArray(doc.manifests)) throw bad("the index lists no manifests");
    return { kind: "index", manifests: doc.manifests.map((d) => descriptor(d, bad)) };
  }
  if (type === MediaType.ociManifest || type === MediaType.dockerManifest || (!type && doc.config)) {
    if (!Array.isArray(doc.layers)) throw bad("it lists no layers");
    return { kind: "image", config: descriptor(doc.config, bad), layers: doc.layers.map((d) => descriptor(d, bad)) };
  }
  throw bad(`unsupported media type "${type}"`);
}

function descriptor(value: unknown, bad: (why: string) => Error): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d.digest !== "string" || typeof d.size !== "number" || d.size < 0) throw bad("a descriptor lacks its digest or size");
  if (!SHA256_DIGEST.test(d.digest)) throw bad(`unsupported digest "${d.digest}" (only sha256 is supported)`);
  return d as Descriptor;
}

/** The platform this process runs on, spelled the way image indexes spell it. */
export function hostPlatform(): Platform {
  const architecture: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
  const arch = architecture[process.arch] ?? process.arch;
  return { os: "linux", architecture: arch, variant: arch === "arm64" ? "v8" : undefined };
}

/** Picks this host's entry from an index: the exact variant first, then one without a variant. */
export function pickPlatform(manifests: Descriptor[], where: string): Descriptor {
  const want = hostPlatform();
  const candidates = manifests.filter((d) => d.platform?.os === want.os && d.platform.architecture === want.architecture);
  const chosen =
    candidates.find((d) => d.platform?.variant === want.variant) ??
    candidates.find((d) => !d.platform?.variant) ??
    candidates[0];
  if (chosen) return chosen;
  const offered = manifests
    .map((d) => d.platform)
    .filter((p): p is Platform => !!p && p.os !== "unknown")
    .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join("/"));
  throw new UserError(
    `${where} has no image for ${want.os}/${want.architecture}`,
    offered.length ? `It is published for: ${offered.join(", ")}.` : "Its index names no platforms.",
  );
}

/** The runtime-relevant part of an image config blob. Unknown or ill-typed fields are dropped. */
export function parseImageConfig(bytes: Uint8Array, where: string): ImageConfig {
  const broken = "the image is broken: tell whoever published it, or use another image";
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new UserError(`the config of ${where} is not usable: it is not JSON`, broken);
  }
  if (!isObject(doc)) throw new UserError(`the config of ${where} is not usable: it is ${describeJson(doc)}, not a JSON object`, broken);
  const source = isObject(doc.config) ? doc.config : {};
  const config: ImageConfig = {};
  for (const key of ["Cmd", "Entrypoint", "Env"] as const) {
    const value = source[key];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) config[key] = value;
  }
  for (const key of ["WorkingDir", "User"] as const) {
    const value = source[key];
    if (typeof value === "string" && value !== "") config[key] = value;
  }
  return config;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON value named for a message: "null", "a list", "a string"... */
function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}
