// Where the repository is: the directory above this module with bin/container and package.json.
// Found by walking up rather than a fixed "../..": the workshop program bundles this module (its
// checks build the `container` bundle), and the bundle lives in node_modules/.cache/.
// Plain JavaScript so that the launchers in bin/ read it before anything is built.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** @param {string} start */
function findRepo(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "bin", "container")) && existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the workshop's repository above ${start}`);
  }
}

/** The repository's root directory. */
export const REPO = findRepo(dirname(fileURLToPath(import.meta.url)));
