// Bonus step: overlayfs. The image's layers stay read-only and shared; each container writes to
// an upper directory of its own, and sees the union of both.
import { mount } from "#native";

export function mountOverlay(layers: string[], upper: string, work: string, target: string): void {
  // overlayfs lists lower directories top first; our layers come lowest first.
  const lowerdir = [...layers].reverse().join(":");
  mount("overlay", target, "overlay", 0, `lowerdir=${lowerdir},upperdir=${upper},workdir=${work}`);
}
