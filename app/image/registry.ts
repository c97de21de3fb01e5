import { UserError } from "../errors.js";
import { fetchAnonymousToken, parseBearerChallenge } from "./auth.js";
import { SHA256_DIGEST, sha256Digest } from "./digest.js";
import { get, TransientError, withRetries, type Exchange, type RetryPolicy } from "./http.js";
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES } from "./manifest.js";

export interface RegistryTiming extends RetryPolicy {
  idleTimeoutMs: number;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string | null;
  digest: string; // verified: the sha256 of `bytes`
}

/** Plain HTTP only for registries on this machine; Docker Hub's API lives on its own host. */
export function registryBaseUrl(registry: string): string {
  if (registry === "docker.io") return "https://registry-1.docker.io";
  const host = registry.replace(/:\d+$/, "");
  const local = host === "localhost" || /^127(?:\.\d{1,3}){3}$/.test(host) || host === "[::1]";
  return `${local ? "http" : "https"}://${registry}`;
}

/**
 * A client for one registry speaking the OCI distribution API (pull side only), anonymous or
 * with a bearer token obtained from the registry's challenge.
 */
export class RegistryClient {
  private readonly base: string;
  private readonly tokens = new Map<string, string>(); // repository → bearer token
  private reached = false;

  constructor(
    private readonly registry: string,
    private readonly timing: RegistryTiming,
  ) {
    this.base = registryBaseUrl(registry);
  }

  /** Whether the registry has answered a request (with any status): then it could be reached. */
  get answered(): boolean {
    return this.reached;
  }

  /** GETs a manifest by tag or digest and verifies its content digest. */
  manifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `${this.registry}/${repository}${reference.startsWith("sha256:") ? "@" : ":"}${reference}`;
    return withRetries(this.timing, signal, async () => {
      const exchange = await this.open(repository, `manifests/${reference}`, { Accept: MANIFEST_ACCEPT }, signal);
      const { response } = exchange;
      if (response.status === 404) {
        exchange.close();
        throw await this.notFound(repository, reference, what, signal);
      }
      await this.expectOk(exchange, what);
      const bytes = await exchange.bytes(MAX_MANIFEST_BYTES);
      const digest = sha256Digest(bytes);
      // Pinned by digest: that is what we check. By tag: the registry's own header, when sha256.
      const header = response.headers.get("docker-content-digest");
      const expected = SHA256_DIGEST.test(reference) ? reference : header && SHA256_DIGEST.test(header) ? header : digest;
      if (expected !== digest) {
        throw new UserError(
          `manifest ${expected} of ${what} failed verification: its content hashes to ${digest}`,
          "the registry served corrupt data; nothing was stored",
        );
      }
      return { bytes, mediaType: response.headers.get("content-type"), digest };
    });
  }

  /**
   * GETs a blob and hands its body to `consume` (which streams it to disk and verifies it).
   * A transfer that fails transiently is started again from the beginning.
   */
  blob<T>(repository: string, digest: string, consume: (body: AsyncIterable<Uint8Array>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withRetries(this.timing, signal, async () => {
      const exchange = await this.open(repository, `blobs/${digest}`, {}, signal);
      if (exchange.response.status === 404) {
        exchange.close();
        throw new UserError(`blob ${digest} of ${this.registry}/${repository} not found`, "the image on the registry is incomplete");
      }
      await this.expectOk(exchange, `blob ${digest}`);
      try {
        return await consume(exchange.chunks());
      } finally {
        exchange.close();
      }
    });
  }

  /** Tells a missing repository from a missing tag, listing a few tags that do exist. */
  private async notFound(repository: string, reference: string, what: string, signal?: AbortSignal): Promise<UserError> {
    const exchange = await this.open(repository, "tags/list", { Accept: "application/json" }, signal);
    if (!exchange.response.ok) {
      exchange.close();
      return new UserError(`image not found: ${this.registry} has no repository "${repository}"`, "check the image name");
    }
    let tags: string[] = [];
    try {
      const listed = (JSON.parse((await exchange.bytes(1 << 20)).toString("utf8")) as { tags?: unknown }).tags;
      if (Array.isArray(listed)) tags = listed.filter((t): t is string => typeof t === "string");
    } catch {
      // a tag list we cannot read just means no suggestions
    }
    const kind = reference.startsWith("sha256:") ? "digest" : "tag";
    return new UserError(
      `${kind} not found: ${what} does not exist on the registry`,
      tags.length ? `Tags that do exist: ${tags.slice(0, 5).join(", ")}${tags.length > 5 ? ", …" : ""}.` : "Check the tag.",
    );
  }

  /** One GET, answering a bearer challenge once if the registry asks for a token. */
  private async open(repository: string, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Exchange> {
    const url = `${this.base}/v2/${repository}/${path}`;
    let exchange = await get(url, this.withToken(repository, headers), this.timing.idleTimeoutMs, signal);
    this.reached = true;
    if (exchange.response.status !== 401) return exchange;

    const challenge = parseBearerChallenge(exchange.response.headers.get("www-authenticate"));
    exchange.close();
    if (!challenge) {
      throw new UserError(
        `${this.registry} requires authentication to pull ${repository} and offers no anonymous token`,
        "the workshop pulls anonymously; use a public image or a registry without a login",
      );
    }
    this.tokens.set(repository, await fetchAnonymousToken(challenge, `repository:${repository}:pull`, this.timing, signal));
    exchange = await get(url, this.withToken(repository, headers), this.timing.idleTimeoutMs, signal);
    if (exchange.response.status === 401) {
      exchange.close();
      throw new UserError(
        `${this.registry} denied access to ${repository}`,
        "the repository may be private or may not exist; check the name",
      );
    }
    return exchange;
  }

  private withToken(repository: string, headers: Record<string, string>): Record<string, string> {
    const token = this.tokens.get(repository);
    return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
  }

  /** 5xx and 429 are worth retrying; any other non-2xx is a plain error quoting the registry. */
  private async expectOk(exchange: Exchange, what: string): Promise<void> {
    const { status, statusText } = exchange.response;
    if (status >= 200 && status < 300) return;
    if (status >= 500 || status === 429) {
      exchange.close();
      throw new TransientError(`${this.registry} answered ${status} ${statusText} for ${what}`, "the registry is having trouble; try again later");
    }
    const detail = await registryErrorMessage(exchange);
    throw new UserError(`${this.registry} answered ${status} ${statusText} for ${what}${detail ? `: ${detail}` : ""}`);
  }
}

/** The first message of a registry's JSON error body, if it sent one. */
async function registryErrorMessage(exchange: Exchange): Promise<string | undefined> {
  try {
    const body = JSON.parse((await exchange.bytes(64 << 10)).toString("utf8")) as { errors?: { message?: string }[] };
    return body.errors?.[0]?.message;
  } catch {
    return undefined;
  } finally {
    exchange.close();
  }
}
