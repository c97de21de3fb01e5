// Ctrl-C (or a TERM or HUP) while a command is under way: instead of dying on the spot and leaving
// its work half done, the command is told through an AbortSignal and undoes what it started.
import { onStopSignals } from "../stop-signals.js";

/** Runs `work` with a signal that aborts when the process gets SIGINT, SIGTERM or SIGHUP. */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stopCatching = onStopSignals((name) => controller.abort(name));
  try {
    return await work(controller.signal);
  } finally {
    stopCatching();
  }
}
