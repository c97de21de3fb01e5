import { createHash } from "node:crypto";

/** The only digest algorithm we accept; anything else is refused before it can name a file. */
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The hex part of a digest already checked against SHA256_DIGEST; used as a file name. */
export function digestHex(digest: string): string {
  if (!SHA256_DIGEST.test(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return digest.slice("sha256:".length);
}

/** "sha256:0123456789ab…" → "0123456789ab", the short form people see. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, "").slice(0, 12);
}
