/**
 * Building the `container` bundle for an implementation once, before a step's checks start it
 * several times at once (each would otherwise build it anew). A file that does not compile is
 * reported in the compiler's words.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { UserError } from "../errors.js";
import { REPO } from "./repo.js";

type Launch = typeof import("../../bin/lib/launch.mjs");
type Build = typeof import("../../bin/lib/build.mjs");

// Loaded from the repository at run time: bundled along with us, build.mjs would take the
// bundle's directory for the repository's.
const load = <T>(file: string) => import(pathToFileURL(join(REPO, "bin", "lib", file)).href) as Promise<T>;

/** Builds under way in this process, by implementation directory: steps checked at once share one. */
const building = new Map<string, Promise<string | undefined>>();

/** Builds the bundle of `implDir` if it is out of date; returns esbuild's message when it does not compile. */
export function buildContainer(implDir: string): Promise<string | undefined> {
  let build = building.get(implDir);
  if (!build) {
    build = buildNow(implDir).finally(() => building.delete(implDir));
    building.set(implDir, build);
  }
  return build;
}

async function buildNow(implDir: string): Promise<string | undefined> {
  const [{ containerProgram }, { ensureBuilt, BuildError }] = await Promise.all([load<Launch>("launch.mjs"), load<Build>("build.mjs")]);
  try {
    await ensureBuilt(containerProgram(implDir));
    return undefined;
  } catch (error) {
    if (error instanceof BuildError) return error.message;
    throw error;
  }
}

/** The directory an --impl choice names (exercises, solutions, or a path), checked as bin/container checks it. */
export async function implDirectory(impl: string): Promise<string> {
  const { dir, missing } = (await load<Launch>("launch.mjs")).implDirectory(impl);
  if (missing.length) {
    throw new UserError(
      `--impl ${impl}: ${dir} is not an implementation directory (missing ${missing.map((m) => `${m}.ts`).join(", ")})`,
      "use exercises, solutions, or a copy of one of them",
    );
  }
  return dir;
}
