/**
 * The app's type checker, in a thread of its own (see type-check-thread.ts): a check is
 * synchronous, and on the app's thread it would hold up keys and drawing for as long as it takes.
 * One checker per implementation directory, kept for the thread's life, so that a check after
 * the first re-reads only the files that changed.
 */
import { parentPort } from "node:worker_threads";
import { REPO } from "../build/repo.mjs";
import { TypeChecker, type TypeError } from "../checks/type-check.js";
import { describeError } from "../errors.js";

export interface TypeCheckRequest {
  id: number;
  impl: string;
}

export type TypeCheckReply = { id: number; errors: TypeError[] } | { id: number; failure: string };

const checkers = new Map<string, TypeChecker>();
const port = parentPort;

port?.on("message", ({ id, impl }: TypeCheckRequest) => {
  let reply: TypeCheckReply;
  try {
    const checker = checkers.get(impl) ?? new TypeChecker(REPO, impl);
    checkers.set(impl, checker);
    reply = { id, errors: checker.check() };
  } catch (error) {
    reply = { id, failure: describeError(error) };
  }
  port.postMessage(reply);
});
