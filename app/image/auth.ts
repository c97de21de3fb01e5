import { UserError } from "../errors.js";
import { get, withRetries, type RetryPolicy } from "./http.js";

/** The parameters of a `WWW-Authenticate: Bearer ...` challenge (the Docker token protocol). */
export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  const match = header?.match(/^\s*Bearer\s+(.*)$/i);
  if (!match?.[1]) return undefined;
  const params = new Map<string, string>();
  for (const param of match[1].matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    params.set(param[1]!.toLowerCase(), param[2] ?? param[3] ?? "");
  }
  const realm = params.get("realm");
  if (!realm || !/^https?:\/\//.test(realm)) return undefined;
  return { realm, service: params.get("service"), scope: params.get("scope") };
}

/** Asks the challenge's realm for an anonymous pull token; `fallbackScope` covers challenges without one. */
export async function fetchAnonymousToken(
  challenge: BearerChallenge,
  fallbackScope: string,
  policy: RetryPolicy & { idleTimeoutMs: number },
  signal?: AbortSignal,
): Promise<string> {
  const url = new URL(challenge.realm);
  if (challenge.service) url.searchParams.set("service", challenge.service);
  url.searchParams.set("scope", challenge.scope ?? fallbackScope);
  return withRetries(policy, signal, async () => {
    const exchange = await get(url.href, { Accept: "application/json" }, policy.idleTimeoutMs, signal);
    if (!exchange.response.ok) {
      exchange.close();
      throw new UserError(
        `the token service ${url.host} refused an anonymous token (${exchange.response.status} ${exchange.response.statusText})`,
        "the workshop pulls anonymously; the image may be private",
      );
    }
    const body = parseJson((await exchange.bytes(1 << 20)).toString("utf8"));
    const token = body?.token ?? body?.access_token;
    if (typeof token !== "string" || token === "") {
      throw new UserError(`the token service ${url.host} answered without a token`);
    }
    return token;
  });
}

function parseJson(text: string): { token?: unknown; access_token?: unknown } | undefined {
  try {
    return JSON.parse(text) as { token?: unknown; access_token?: unknown };
  } catch {
    return undefined;
  }
}
