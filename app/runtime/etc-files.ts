import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { InitSpec } from "./spec.js";

/**
 * Writes the container's /etc/hostname, /etc/hosts and /etc/resolv.conf into its state directory;
 * init bind-mounts them over the image's, so the image itself is never modified.
 */
export function writeEtcFiles(stateDir: string, hostname: string, address: string | undefined, resolvConf: string): InitSpec["etcFiles"] {
  const files = {
    hostname: join(stateDir, "hostname"),
    hosts: join(stateDir, "hosts"),
    "resolv.conf": join(stateDir, "resolv.conf"),
  };
  writeFileSync(files.hostname, `${hostname}\n`);
  const self = address ? `${address.split("/")[0]}\t${hostname}` : `127.0.1.1\t${hostname}`;
  writeFileSync(files.hosts, ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", self, ""].join("\n"));
  writeFileSync(files["resolv.conf"], resolvConf);
  return files;
}

export function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
