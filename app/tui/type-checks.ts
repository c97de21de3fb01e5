/**
 * The app's type checks of the learner's implementation: asked for with every run of the checks
 * and made beside it, never holding it up (the checks run whatever the types say). One at a
 * time: a request while one is under way is made once it ends, on the files as they are then.
 * The view is an immutable snapshot for React (`useSyncExternalStore`), as CheckRuns' are.
 */
import type { TypeError } from "../checks/type-check.js";
import { describeError } from "../errors.js";

/** Type-checks an implementation directory: its errors, in file order. */
export type TypeCheck = (impl: string) => Promise<TypeError[]>;

export interface TypeCheckView {
  impl: string;
  /** A check is under way or asked for: `errors` may be out of date. */
  checking: boolean;
  /** The last check's errors; undefined until one has ended, or when it could not be made. */
  errors?: TypeError[];
  /** Why the last check could not be made. */
  failure?: string;
}

export class TypeChecks {
  private view?: TypeCheckView;
  private wanted?: string;
  private running = false;
  private listeners = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly check: TypeCheck) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): TypeCheckView | undefined => this.view;

  /** Type-checks `impl` as soon as the check under way, if any, has ended. */
  request(impl: string): void {
    this.wanted = impl;
    this.set({ ...(this.view?.impl === impl ? this.view : { impl }), checking: true });
    if (!this.running) void this.work();
  }

  /** Resolves once no check is under way or asked for (at once if none is). */
  whenIdle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private async work(): Promise<void> {
    this.running = true;
    while (this.wanted !== undefined) {
      const impl = this.wanted;
      this.wanted = undefined;
      let result: Pick<TypeCheckView, "errors" | "failure">;
      try {
        result = { errors: await this.check(impl), failure: undefined };
      } catch (error) {
        result = { errors: undefined, failure: describeError(error) };
      }
      // A request for another directory since (instructor mode and back) replaced this view.
      if (this.view?.impl === impl) this.set({ ...this.view, ...result, checking: this.wanted !== undefined });
    }
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private set(view: TypeCheckView): void {
    this.view = view;
    for (const listener of this.listeners) listener();
  }
}
