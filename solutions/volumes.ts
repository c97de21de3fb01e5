// Step 5: volumes. A volume is a bind mount of a host directory (or file) into the container's
// root filesystem, made in the container's private mount namespace before the root changes.
import { statSync } from "node:fs";
import { makeReadOnlyRecursive, mount, MS_BIND, MS_PRIVATE, MS_REC } from "#native";
import type { Volume } from "#contract";
import { inRoot } from "#given";

export function mountVolumes(rootfs: string, volumes: Volume[]): void {
  for (const volume of volumes) {
    // A bind mount needs a target of the same kind: a directory for a directory, a file for a
    // file. inRoot creates it inside the root, whatever symlinks the image has on the way.
    const kind = statSync(volume.source).isDirectory() ? "directory" : "file";
    inRoot(rootfs, volume.target, { create: kind }, (target) => mount(volume.source, target, null, MS_BIND | MS_REC));
    // Opened again: now it names the new mount, not the directory under it.
    inRoot(rootfs, volume.target, { expect: kind }, (target) => {
      // Its own propagation: what the container mounts below it stays in the container.
      mount(null, target, null, MS_PRIVATE | MS_REC);
      // Read-only all the way down: a bind of / brings /proc and every other mount below it along.
      if (volume.readOnly) makeReadOnlyRecursive(target);
    });
  }
}
