/**
 * The course's checks: which checks each step has, and running them against an implementation.
 * They reach the implementation only through the `container` CLI, in sandboxes of their own.
 */
export type { CheckInfo, CheckResult, CheckStatus, RunOptions } from "./types.js";
export { checksOf, runStep } from "./runner.js";
export { ensureCheckImage } from "./check-image.js";
export { implDirectory } from "./prepare.js";
export { formatTypeError, TypeChecker, type TypeError } from "./type-check.js";
