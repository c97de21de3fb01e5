/**
 * The reference code for a step (its module in solutions/: one module per step), and the diff
 * between the learner's module and the reference.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { shownPath } from "../format.js";
import { moduleFile, type Step } from "./steps.js";

export interface ModuleSolution {
  /** The reference module, e.g. /…/solutions/rootfs.ts */
  file: string;
  code: string;
}

export function stepSolution(solutions: string, step: Step): ModuleSolution {
  const file = join(solutions, moduleFile(step));
  return { file, code: readFileSync(file, "utf8") };
}

/** The learner's module of `step` against the reference's, as `diff -u`; empty when they are the same. */
export function stepDiff(repo: string, impl: string, solutions: string, step: Step): Promise<string> {
  return moduleDiff(repo, join(impl, moduleFile(step)), join(solutions, moduleFile(step)));
}

/** `diff -u` of the learner's module against the reference; empty when they are the same. */
export function moduleDiff(repo: string, learnerFile: string, solutionFile: string): Promise<string> {
  const label = (file: string) => shownPath(repo, file);
  return new Promise((resolve, reject) => {
    execFile("diff", ["-u", "--label", label(learnerFile), "--label", label(solutionFile), learnerFile, solutionFile], (error, stdout, stderr) => {
      // diff exits 1 when the files differ, 2 on trouble.
      if (error && error.code !== 1) reject(new Error(stderr.trim() || error.message));
      else resolve(stdout);
    });
  });
}
