import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../errors.js";
import { RegistryUnreachable, unreachable } from "./network-failure.js";

/** A failure worth another try: the network or the registry hiccuped. */
export class TransientError extends UserError {}

export interface RetryPolicy {
  attempts: number;
  retryDelayMs: number;
}

/** A response whose body is read through an idle timer: no bytes for `idleTimeoutMs` aborts it. */
export interface Exchange {
  response: Response;
  chunks(): AsyncGenerator<Uint8Array>;
  bytes(limit: number): Promise<Buffer>;
  close(): void;
}

/**
 * The slowest transfer worth waiting for: a registry that trickles less than this, measured over
 * each idle period, is as good as stalled (and would otherwise hold a pull for hours).
 */
const MIN_BYTES_PER_SECOND = 1024;
const TRICKLE_PERIODS = 2;

/**
 * GETs `url` with Node's fetch. The idle timer covers both waiting for headers and every gap
 * between body chunks, so a stalled server produces an error instead of a hang; a body arriving
 * slower than MIN_BYTES_PER_SECOND over an idle period is given up on the same way.
 */
export async function get(
  url: string,
  headers: Record<string, string>,
  idleTimeoutMs: number,
  signal?: AbortSignal,
): Promise<Exchange> {
  const host = new URL(url).host;
  const controller = new AbortController();
  let stalled = false;
  let trickling = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  const forwardAbort = () => controller.abort();
  signal?.addEventListener("abort", forwardAbort, { once: true });
  const release = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forwardAbort);
  };
  const failure = (error: unknown) => {
    release();
    if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error("aborted");
    if (stalled) {
      return new TransientError(
        `${host} stopped responding (nothing received for ${formatSeconds(idleTimeoutMs)})`,
        "check the network and the registry, then try again",
      );
    }
    if (trickling) {
      return new TransientError(
        `${host} is sending too slowly (less than ${MIN_BYTES_PER_SECOND} bytes a second for ${formatSeconds(TRICKLE_PERIODS * idleTimeoutMs)})`,
        "check the network and the registry, then try again",
      );
    }
    return describeNetworkError(error, host);
  };

  arm();
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: controller.signal });
  } catch (error) {
    throw failure(error);
  }

  async function* chunks(): AsyncGenerator<Uint8Array> {
    // Bytes received in each idle period: too few in two periods running is a trickle (none at
    // all is a stall, which the idle timer reports; one short period may be a small body's end).
    let received = 0;
    let slowPeriods = 0;
    const minimum = (MIN_BYTES_PER_SECOND * idleTimeoutMs) / 1000;
    const rate = setInterval(() => {
      slowPeriods = received > 0 && received < minimum ? slowPeriods + 1 : 0;
      received = 0;
      if (slowPeriods === TRICKLE_PERIODS) {
        trickling = true;
        controller.abort();
      }
    }, idleTimeoutMs);
    try {
      if (!response.body) return;
      for await (const chunk of response.body) {
        arm();
        received += chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      throw failure(error);
    } finally {
      clearInterval(rate);
      release();
    }
  }

  return {
    response,
    chunks,
    async bytes(limit) {
      const parts: Uint8Array[] = [];
      let length = 0;
      for await (const chunk of chunks()) {
        length += chunk.byteLength;
        if (length > limit) {
          controller.abort();
          throw new UserError(`${url} sent more than ${limit} bytes, far too much for its kind of document`);
        }
        parts.push(chunk);
      }
      return Buffer.concat(parts);
    },
    close() {
      release();
      controller.abort();
    },
  };
}

/**
 * Runs `attempt` again after TransientErrors (and an unreachable registry worth another try),
 * backing off exponentially; other errors pass at once. The last error is thrown as it is, its
 * class telling callers what failed, with the number of attempts added to its message.
 */
export async function withRetries<T>(policy: RetryPolicy, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const worthRetrying = error instanceof TransientError || (error instanceof RegistryUnreachable && error.worthRetrying);
      if (!worthRetrying || signal?.aborted) throw error;
      if (tries >= policy.attempts) {
        error.message = `${error.message} (gave up after ${tries} attempts)`;
        throw error;
      }
      await sleep(policy.retryDelayMs * 2 ** (tries - 1), undefined, { signal });
    }
  }
}

/** undici reports everything as "fetch failed" or "terminated"; the useful part is in `cause`. */
function describeNetworkError(error: unknown, host: string): Error {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const neverReached = unreachable(code, host);
  if (neverReached) return neverReached;
  if (
    code === "ECONNRESET" ||
    code === "UND_ERR_SOCKET" ||
    (error instanceof Error && error.message === "terminated")
  ) {
    return new TransientError(`the connection to ${host} was cut short`, "the registry or the network dropped the transfer; try again");
  }
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new TransientError(`request to ${host} failed: ${detail}`);
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s` : `${ms}ms`;
}
