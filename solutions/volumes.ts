// Step 5: volumes. A volume is a bind mount of a host directory (or file) into the container's
// root filesystem, made in the container's private mount namespace before the root changes.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { mount, MS_BIND, MS_PRIVATE, MS_RDONLY, MS_REC, MS_REMOUNT } from "#native";
import type { Volume } from "#contract";

export function mountVolumes(rootfs: string, volumes: Volume[]): void {
  for (const volume of volumes) {
    const target = join(rootfs, volume.target);
    createMountPoint(target, statSync(volume.source).isDirectory());
    mount(volume.source, target, null, MS_BIND | MS_REC);
    // The new mount gets its own propagation: what the container mounts below it stays in the container.
    mount(null, target, null, MS_PRIVATE | MS_REC);
    // MS_RDONLY is ignored on the first bind: read-only takes a second, remount call.
    if (volume.readOnly) mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY);
  }
}

/** A bind mount needs a target of the same kind: a directory for a directory, a file for a file. */
function createMountPoint(target: string, directory: boolean): void {
  if (existsSync(target)) return;
  if (directory) {
    mkdirSync(target, { recursive: true });
  } else {
    mkdirSync(dirname(target), { recursive: true });
    closeSync(openSync(target, "w"));
  }
}
