// Where the repository is, from this module's own location. Not from bin/lib/build.mjs: the
// workshop program is bundled into node_modules/.cache/, where that module's path would mislead.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRepo(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "bin", "container")) && existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the workshop's repository above ${start}`);
  }
}

/** The repository's root directory. */
export const REPO = findRepo(dirname(fileURLToPath(import.meta.url)));

/** The `container` launcher. */
export const CONTAINER = join(REPO, "bin", "container");
