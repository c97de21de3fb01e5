/**
 * Type checks for the app, run in a worker thread (type-check-worker.ts) so that the app's own
 * thread keeps answering keys and drawing while TypeScript works (seconds for the first check).
 * The worker is bundled like the other programs (app/build/bundle.mjs), on the first check.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { ensureBuilt } from "../build/bundle.mjs";
import { REPO } from "../build/repo.mjs";
import type { TypeError } from "../checks/type-check.js";
import type { TypeCheckReply, TypeCheckRequest } from "./type-check-worker.js";

export interface TypeCheckThread {
  /** The type errors of the implementation in `impl`, checked in the thread (one check at a time, in turn). */
  check(impl: string): Promise<TypeError[]>;
  /** Ends the thread, a check under way included. */
  close(): Promise<void>;
}

const WORKER = { name: "type-check-worker", entries: { worker: join(REPO, "app/tui/type-check-worker.ts") } };

export function typeCheckThread(): TypeCheckThread {
  let worker: Promise<Worker> | undefined;
  let closed = false;
  let lastId = 0;
  const pending = new Map<number, { resolve(errors: TypeError[]): void; reject(error: Error): void }>();

  const start = (): Promise<Worker> => {
    const starting: Promise<Worker> = ensureBuilt(WORKER).then((built) => {
      const thread = new Worker(built.files.worker as string);
      thread.on("message", (reply: TypeCheckReply) => {
        const waiting = pending.get(reply.id);
        pending.delete(reply.id);
        if (pending.size === 0) thread.unref();
        if ("errors" in reply) waiting?.resolve(reply.errors);
        else waiting?.reject(new Error(reply.failure));
      });
      // A thread that died takes its checks with it; the next check starts a new one.
      const died = (error: Error) => {
        if (worker === starting) worker = undefined;
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
      };
      thread.on("error", died);
      thread.on("exit", (code) => died(new Error(`the type checker stopped (exit status ${code})`)));
      // The thread keeps the process alive while it has a check to answer, and not once idle.
      // (After the listeners: adding a "message" listener refs the thread again.)
      thread.unref();
      return thread;
    });
    // A thread that could not start (no bundle) is tried again on the next check.
    starting.catch(() => {
      if (worker === starting) worker = undefined;
    });
    return starting;
  };

  return {
    async check(impl) {
      if (closed) throw new Error("the type checker has been closed");
      worker ??= start();
      const thread = await worker;
      // Closed meanwhile: the thread is ending, and would not answer.
      if (closed) throw new Error("the type checker has been closed");
      const id = ++lastId;
      return new Promise<TypeError[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        thread.ref();
        thread.postMessage({ id, impl } satisfies TypeCheckRequest);
      });
    },
    async close() {
      closed = true;
      const thread = worker;
      worker = undefined;
      await (await thread?.catch(() => undefined))?.terminate();
    },
  };
}
