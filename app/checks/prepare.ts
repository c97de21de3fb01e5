/**
 * Building the `container` bundle for an implementation once, before a step's checks start it
 * several times at once (each would otherwise build it anew). A file that does not compile is
 * reported in the compiler's words.
 */
import { BuildError, ensureBuilt } from "../build/bundle.mjs";
import { containerProgram, implDirectory as findImplDirectory } from "../build/programs.mjs";
import { UserError } from "../errors.js";

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
  try {
    await ensureBuilt(containerProgram(implDir));
    return undefined;
  } catch (error) {
    if (error instanceof BuildError) return error.message;
    throw error;
  }
}

/** The directory an --impl choice names (exercises, solutions, or a path), checked as bin/container checks it. */
export function implDirectory(impl: string): string {
  const { dir, problem } = findImplDirectory(impl);
  if (problem) throw new UserError(problem.message, problem.hint);
  return dir;
}
