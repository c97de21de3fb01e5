/**
 * The signals that ask a program of ours to stop: Ctrl-C, a kill, the terminal going away. Each
 * program catches them to end its work cleanly instead of dying with it half done.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Calls `handler` on each stop signal until the returned function is called. */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}
