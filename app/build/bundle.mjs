// Ahead-of-time transpiling of the TypeScript sources, so that no process on a container's
// start path pays for a TypeScript loader (tsx costs ~3x a plain node start here).
// Each program is bundled with esbuild into a cache directory; a bundle is reused until one of
// the files it was built from changes. Plain JavaScript so that the launchers in bin/ run it
// before anything is built; the checks build the `container` bundle with it too.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { REPO } from "./repo.mjs";

// By its place in the repository, not import.meta.url: inside the workshop's bundle that is the bundle.
const SELF = join(REPO, "app", "build", "bundle.mjs");
const CACHE = join(REPO, "node_modules", ".cache", "container-workshop");
const NODE_MODULES = join(REPO, "node_modules") + sep;
const LOCKFILE = join(REPO, "package-lock.json");
// Changes to packages that `npm install` applies after the lockfile's (patch-package, see patches/).
const PATCHES = join(REPO, "patches");

// npm packages are bundled too: Node resolves, reads and links every module file of a package on
// its own, which for the app (Ink, React, marked: ~800 files) took longer than the rest of its
// start (first screen ~2x later). Not bundled: a native addon, esbuild (which runs a binary it
// finds from its own package; the workshop bundles this module), and a package Ink imports only in
// its development mode, which is not installed. From a bundle in node_modules/.cache/, Node finds
// them in the repository's node_modules/.
const UNBUNDLED_PACKAGES = ["koffi", "esbuild", "react-devtools-core"];
// CommonJS packages inside an ES module bundle still call require(): every chunk gets one.
const REQUIRE_BANNER = 'import { createRequire as __workshopCreateRequire } from "node:module"; const require = __workshopCreateRequire(import.meta.url);';
// A CommonJS bundle keeps the strictness of the ES modules it is made of, and gives import.meta.url
// (which the syscall layer's createRequire takes) its value from the file's path: a file URL with
// each name escaped, as pathToFileURL would make it, without loading node:url (0.3 ms of a start).
const COMMONJS_BANNER = '"use strict"; const __workshopImportMetaUrl = "file://" + __filename.split("/").map(encodeURIComponent).join("/");';

/**
 * @typedef {object} Program
 * @property {string} name        cache key prefix, e.g. "container"
 * @property {Record<string, string>} entries  output name -> absolute source path
 * @property {string} [impl]      the implementation directory `#impl/*` imports resolve to
 * @property {boolean} [apart]    each entry runs in a process of its own: bundle each on its own,
 *                                so that no chunk holds code for both and each loads only its own
 * @property {string[]} [commonjs]  entries bundled as CommonJS, each into one file (`<name>.cjs`, no
 *                                chunks): Node runs them without its ES module loader, which costs
 *                                a few ms of a process's start. For entries run as a program, or
 *                                loaded with `load` (bin/lib/launch.mjs), which requires them.
 */

/**
 * @typedef {object} Group  one esbuild run
 * @property {string} out         its output directory
 * @property {string[]} names     the entries it bundles
 * @property {"esm" | "cjs"} format
 */

/**
 * @typedef {object} Build
 * @property {string} dir                    where the bundles are
 * @property {Record<string, string>} files  output name -> absolute path of the bundle
 */

/** Thrown when the sources do not compile: `message` is esbuild's, already formatted for a person. */
export class BuildError extends Error {
  /** @override */
  name = "BuildError";
}

/**
 * Returns an up-to-date build of `program`, building it only when a source changed.
 * @param {Program} program
 * @returns {Promise<Build>}
 */
export async function ensureBuilt(program) {
  return fresh(program) ?? (await build(program));
}

/**
 * The current build when none of its inputs changed since, else undefined. Cheap: one stat per input.
 * @param {Program} program
 * @returns {Build | undefined}
 */
export function fresh(program) {
  const home = programDir(program);
  let current;
  try {
    current = JSON.parse(readFileSync(join(home, "current.json"), "utf8"));
  } catch {
    return undefined;
  }
  for (const [file, stamp] of Object.entries(current.inputs)) {
    if (stampOf(file) !== stamp) return undefined;
  }
  return { dir: current.dir, files: current.files };
}

/**
 * Bundles the program into a fresh directory and points `current.json` at it (an atomic rename,
 * so processes starting meanwhile see either the old build or the new one, never half of one).
 * @param {Program} program
 * @returns {Promise<Build>}
 */
export async function build(program) {
  const esbuild = await import("esbuild");
  const home = programDir(program);
  // Unique even for builds one process starts at the same moment (the checks build ahead while the app does).
  const unique = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const dir = join(home, `${Date.now().toString(36)}-${unique}`);
  mkdirSync(dir, { recursive: true });
  const groups = groupsOf(program, dir);
  // Settled, not Promise.all: the directory is removed only once no build writes in it any more.
  const settled = await Promise.allSettled(groups.map((group) => bundleEntries(esbuild, program, group)));
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) {
    rmSync(dir, { recursive: true, force: true });
    throw new BuildError(await formatBuildError(esbuild, failed.reason));
  }
  const results = settled.map((outcome) => /** @type {PromiseFulfilledResult<import("esbuild").BuildResult<{ metafile: true }>>} */ (outcome).value);
  // This file is an input too: a change to how bundles are made (e.g. their options) rebuilds them.
  /** @type {Record<string, string>} */
  const inputs = { [SELF]: stampOf(SELF) };
  const sources = results.flatMap((result) => Object.keys(result.metafile.inputs)).map((input) => resolve(REPO, input));
  for (const file of sources.filter((f) => !f.startsWith(NODE_MODULES))) inputs[file] = stampOf(file);
  // Packages change only by `npm install`, which rewrites the lockfile: one stamp stands for them
  // all, with the patches it applies.
  if (sources.some((f) => f.startsWith(NODE_MODULES))) {
    for (const stamped of [LOCKFILE, ...readdirSync(PATCHES).map((name) => join(PATCHES, name))]) inputs[stamped] = stampOf(stamped);
  }
  /** @type {Record<string, string>} */
  const files = {};
  for (const { out, names, format } of groups) for (const name of names) files[name] = join(out, `${name}.${format === "cjs" ? "cjs" : "mjs"}`);
  const tmp = join(home, `current.${unique}.json`);
  writeFileSync(tmp, JSON.stringify({ dir, files, inputs, impl: program.impl }));
  renameSync(tmp, join(home, "current.json"));
  removeOldBuilds(home, dir);
  removeOrphanPrograms();
  return { dir, files };
}

/**
 * The esbuild runs a program needs: one for all its entries, or, apart, one each. Each run of its
 * own gets a directory of its own, so that chunks of equal names from two runs never meet.
 * @param {Program} program
 * @param {string} dir
 * @returns {Group[]}
 */
function groupsOf(program, dir) {
  const names = Object.keys(program.entries);
  const commonjs = program.commonjs ?? [];
  /** @type {Group[]} */
  const own = names.filter((name) => program.apart || commonjs.includes(name)).map((name) => ({ out: join(dir, name), names: [name], format: commonjs.includes(name) ? "cjs" : "esm" }));
  const together = names.filter((name) => !own.some((group) => group.names.includes(name)));
  return together.length ? [{ out: dir, names: together, format: "esm" }, ...own] : own;
}

/**
 * One esbuild run.
 * @param {typeof import("esbuild")} esbuild
 * @param {Program} program
 * @param {Group} group
 */
function bundleEntries(esbuild, program, { out, names, format }) {
  const esm = format === "esm";
  return esbuild.build({
    entryPoints: Object.fromEntries(names.map((name) => [name, /** @type {string} */ (program.entries[name])])),
    outdir: out,
    outExtension: { ".js": esm ? ".mjs" : ".cjs" },
    absWorkingDir: REPO,
    bundle: true,
    splitting: esm,
    format,
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    external: UNBUNDLED_PACKAGES,
    banner: { js: esm ? REQUIRE_BANNER : COMMONJS_BANNER },
    ...(esm ? {} : { define: { "import.meta.url": "__workshopImportMetaUrl" } }),
    // Beside the bundle, not inline: an inline map is read and scanned on every start (~3 ms for
    // the container CLI); a debugger or --enable-source-maps still finds it by its link.
    sourcemap: "linked",
    metafile: true,
    logLevel: "silent",
    plugins: [importMap(program.impl)],
  });
}

// Builds for implementation directories that no longer exist (the tests' temporary mutants).
function removeOrphanPrograms() {
  for (const entry of readdirSync(CACHE, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const { impl } = JSON.parse(readFileSync(join(CACHE, entry.name, "current.json"), "utf8"));
      if (impl && !existsSync(impl)) rmSync(join(CACHE, entry.name), { recursive: true, force: true });
    } catch {
      // being built right now, or not ours
    }
  }
}

/**
 * Resolves the project's own import aliases: `#native` and `#contract` (as in package.json's
 * "imports", so that editors and vitest agree), and `#impl/<module>` to the chosen implementation.
 * Doing it here lets an implementation directory live anywhere, not only beside native/.
 * @param {string | undefined} impl
 * @returns {import("esbuild").Plugin}
 */
function importMap(impl) {
  const imports = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).imports;
  return {
    name: "workshop-imports",
    setup(b) {
      b.onResolve({ filter: /^#/ }, (args) => {
        if (args.path.startsWith("#impl/")) {
          if (!impl) return { errors: [{ text: `${args.path}: this program has no implementation directory` }] };
          return { path: join(impl, `${args.path.slice("#impl/".length)}.ts`) };
        }
        const target = imports[args.path];
        return target ? { path: join(REPO, target) } : undefined;
      });
    },
  };
}

/**
 * @param {typeof import("esbuild")} esbuild
 * @param {unknown} error
 */
async function formatBuildError(esbuild, error) {
  const errors = /** @type {{ errors?: import("esbuild").Message[] }} */ (error).errors;
  if (!errors?.length) return String(error);
  const lines = await esbuild.formatMessages(errors.slice(0, 3), { kind: "error", color: false });
  return lines.join("").trim();
}

/** @param {Program} program */
function programDir(program) {
  // How it is bundled is part of the key: a build of another shape is another program.
  const key = createHash("sha256").update(JSON.stringify([program.entries, program.impl ?? "", program.apart ?? false, program.commonjs ?? []])).digest("hex").slice(0, 12);
  return join(CACHE, `${program.name}-${key}`);
}

/** @param {string} file */
function stampOf(file) {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return "missing";
  }
}

// Keep the newest few builds, and all from the last minutes: a process started from an older one
// may still be loading its chunks, or not have started its other entry yet (`container run`
// spawns init.cjs only once the image is pulled; containers started at once rebuild side by side).
const KEEP_RECENT_MS = 10 * 60_000;

/** @param {string} home @param {string} keep */
function removeOldBuilds(home, keep) {
  const builds = readdirSync(home, { withFileTypes: true })
    .filter((d) => d.isDirectory() && join(home, d.name) !== keep)
    .map((d) => d.name)
    .sort()
    .slice(0, -2)
    // Named `<Date.now() in base 36>-<pid>` by build().
    .filter((name) => Date.now() - Number.parseInt(name, 36) > KEEP_RECENT_MS);
  for (const old of builds) {
    try {
      rmSync(join(home, old), { recursive: true, force: true });
    } catch {
      // another process is removing it too: housekeeping must never fail a start
    }
  }
}
