// Starting a program of this repository: make sure its bundle is current, then run it.
import { createRequire } from "node:module";
import { basename } from "node:path";
import { BuildError, ensureBuilt } from "../../app/build/bundle.mjs";
import { implDirectory } from "../../app/build/programs.mjs";

/**
 * The implementation directory chosen by `--impl` (before the command) or WORKSHOP_IMPL:
 * "exercises" (the default), "solutions", or a path.
 * @param {string[]} argv
 */
export function chooseImpl(argv) {
  let choice = process.env.WORKSHOP_IMPL || "exercises";
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    if (!arg.startsWith("-")) break;
    if (arg === "--impl" && argv[i + 1] !== undefined) choice = /** @type {string} */ (argv[++i]);
    else if (arg.startsWith("--impl=")) choice = arg.slice("--impl=".length);
    else if (["--root", "--trace"].includes(arg)) i++;
  }
  const { dir, problem } = implDirectory(choice);
  if (problem) fail(problem.message, problem.hint);
  return dir;
}

/**
 * Builds (if needed) and returns the bundle paths of a program.
 * @param {import("../../app/build/bundle.mjs").Program} program
 */
export async function bundle(program) {
  try {
    return await ensureBuilt(program);
  } catch (error) {
    if (error instanceof BuildError) fail(`the TypeScript does not compile:\n${error.message}`, "fix the file named above and save it again");
    // The cache belongs to whoever built last, usually root: a user without sudo cannot add to it.
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code === "EACCES" || code === "EPERM") {
      fail(`cannot save the build of the changed sources in node_modules/.cache: permission denied`, 'run it with sudo, or make the cache yours: sudo chown -R "$USER" node_modules/.cache');
    }
    throw error;
  }
}

/**
 * Loads a bundled entry: CommonJS with require(), which import() would first scan for its exports.
 * @param {string} file
 * @returns {Promise<any>}
 */
export async function load(file) {
  return file.endsWith(".cjs") ? createRequire(import.meta.url)(file) : import(file);
}

/** @param {string} message @param {string} hint @returns {never} */
export function fail(message, hint) {
  // Named like the CLIs' own errors: "container: ..." or "workshop: ...".
  process.stderr.write(`${basename(process.argv[1] ?? "container")}: ${message}\n  ${hint}\n`);
  process.exit(125);
}

