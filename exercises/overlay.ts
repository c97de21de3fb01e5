// Bonus step: overlayfs — docs/bonus-overlayfs.md
//
// Runs in the init process, in its own mount namespace, when the container is started with --overlay.
import { todo } from "#given";

/** Mount an overlay of `layers` (lowest first) at `target`, writes going to `upper`. (Task 1) */
export function mountOverlay(layers: string[], upper: string, work: string, target: string): void {
  todo("mountOverlay");
}
