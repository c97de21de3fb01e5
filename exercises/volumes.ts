// Step 5: volumes — docs/05-volumes.md
import type { Volume } from "#contract";
import { todo } from "#given";

/**
 * In the init process, before the root changes: bind-mount each volume's `source` onto `target`
 * inside `rootfs` (reached with `inRoot` from "#given", never `join`), creating the mount point,
 * read-only all the way down when `readOnly` is set. (Task 1)
 */
export function mountVolumes(rootfs: string, volumes: Volume[]): void {
  todo("mountVolumes");
}
