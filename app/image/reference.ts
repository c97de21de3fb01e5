import { UserError } from "../errors.js";
import { SHA256_DIGEST } from "./digest.js";

/** An image reference split the way Docker splits it, with Docker Hub's defaults filled in. */
export interface Reference {
  registry: string; // "docker.io", "127.0.0.1:5000", "[::1]:5000"
  repository: string; // "library/alpine"
  tag?: string; // absent only when a digest is given
  digest?: string;
}

const DEFAULT_REGISTRY = "docker.io";

// The grammar of github.com/distribution/reference, written out as regular expressions.
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^\w[\w.-]{0,127}$/;
const MAX_NAME_LENGTH = 255;

export function parseReference(input: string): Reference {
  const invalid = (why: string, hint = "write NAME[:TAG] or NAME@sha256:DIGEST, for example alpine:3.20") =>
    new UserError(`invalid image reference "${input}": ${why}`, hint);
  if (input === "") throw invalid("it is empty");

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!SHA256_DIGEST.test(digest)) throw invalid("the digest must be sha256: followed by 64 lowercase hex digits");
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(`"${tag}" is not a valid tag`);
  }

  // Like Docker: the first component names a registry only if it looks like a host name.
  let registry = DEFAULT_REGISTRY;
  let repository = rest;
  const slash = rest.indexOf("/");
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase()) {
      registry = first;
      repository = rest.slice(slash + 1);
    }
  }
  if (!DOMAIN.test(registry) || !isUrlHost(registry)) throw invalid(`"${registry}" is not a valid registry host`);
  const port = /:(\d+)$/.exec(registry)?.[1];
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) {
    throw invalid(`the registry's port ${port} is not between 1 and 65535`, "write the registry as HOST or HOST:PORT, for example localhost:5000/busybox");
  }
  if (registry === "index.docker.io") registry = DEFAULT_REGISTRY;
  if (!REPOSITORY.test(repository)) {
    throw invalid(
      repository !== repository.toLowerCase()
        ? "repository names must be lowercase"
        : "a repository name is lowercase letters and digits, separated by '/', '.', '_' or '-'",
    );
  }
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) repository = `library/${repository}`;
  if (`${registry}/${repository}`.length > MAX_NAME_LENGTH) throw invalid(`names are limited to ${MAX_NAME_LENGTH} characters`);

  if (tag === undefined && digest === undefined) tag = "latest";
  return { registry, repository, tag, digest };
}

/**
 * The canonical spelling the store files refs under, e.g. "docker.io/library/alpine:3.20". Given
 * both a tag and a digest, the digest is what names the image and the tag is dropped, as Docker
 * does: filed as "alpine:3.20@sha256:…", it would look like alpine:3.20 in `container images`
 * without being it.
 */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`;
}

/** Whether a URL can have `registry` as its host (the grammar above lets through, e.g., "[::::::]" or "[1]"). */
function isUrlHost(registry: string): boolean {
  try {
    new URL(`http://${registry.replace(/:\d+$/, "")}/`);
    return true;
  } catch {
    return false;
  }
}

/** The short name `container images` shows: Docker Hub's prefixes are dropped. */
export function displayName(ref: Reference): string {
  if (ref.registry !== DEFAULT_REGISTRY) return `${ref.registry}/${ref.repository}`;
  return ref.repository.replace(/^library\//, "");
}
