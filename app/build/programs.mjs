// The programs an implementation directory makes, for the launcher (bin/container) and the checks
// (which build the bundle ahead of the containers they start) alike: the same definition, so the
// same cached bundle. Plain JavaScript so that the launcher reads it before anything is built.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { IMPL_MODULES } from "../course/step-table.mjs";
import { REPO } from "./repo.mjs";

/**
 * The directory an --impl choice names ("exercises", "solutions", or a path), and when it is not
 * an implementation directory, why (a message and what to do, for the caller's error).
 * @param {string} choice
 * @returns {{ dir: string, problem?: { message: string, hint: string } }}
 */
export function implDirectory(choice) {
  const dir = choice === "exercises" || choice === "solutions" ? join(REPO, choice) : resolve(choice);
  const missing = IMPL_MODULES.filter((m) => !existsSync(join(dir, `${m}.ts`)));
  if (!missing.length) return { dir };
  return {
    dir,
    problem: {
      message: `--impl ${choice}: ${dir} is not an implementation directory (missing ${missing.map((m) => `${m}.ts`).join(", ")})`,
      hint: "use exercises, solutions, or a copy of one of them",
    },
  };
}

/**
 * The `container` program for an implementation directory.
 * @param {string} impl
 * @returns {import("./bundle.mjs").Program}
 */
export function containerProgram(impl) {
  // Apart: the CLI and the init process never run in one process, and a chunk shared by both held
  // everything either needs (the whole syscall layer, seccomp and capabilities included). Both are
  // on every container's start path, as CommonJS: Node's ES module loader cost init ~4 ms, the CLI ~1.
  return {
    name: "container",
    impl,
    apart: true,
    commonjs: ["container", "init"],
    entries: { container: join(REPO, "app/cli/container.ts"), init: join(REPO, "app/runtime/init.ts") },
  };
}
