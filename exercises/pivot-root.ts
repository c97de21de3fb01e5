// Bonus step: pivot_root — docs/bonus-pivot-root.md
//
// Runs in the init process, in its own mount namespace, instead of changeRoot() when the
// container is started with --pivot-root.
import { todo } from "#given";

/** Make `rootfs` the root with pivot_root, and detach the old root entirely. (Task 1) */
export function pivotRoot(rootfs: string): void {
  todo("pivotRoot");
}
