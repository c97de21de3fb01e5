// Timing one run of a program, from the fork to its exit, the same way for every variant.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";

export interface TimedCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the run is killed and the benchmark fails (default 60 s). */
  timeout?: number;
}

/** Runs the command to completion and returns its wall time in ms; a failed run throws with its stderr. */
export function timeCommand({ command, args, env, timeout = 60_000 }: TimedCommand): number {
  const options: SpawnSyncOptions = { stdio: ["ignore", "ignore", "pipe"], env: env ?? process.env, timeout, encoding: "utf8" };
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, options);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    const why = result.signal ? `was killed by ${result.signal}` : `exited with ${result.status}`;
    throw new Error(`${command} ${args.join(" ")} ${why}: ${String(result.stderr).trim().split("\n").slice(-3).join(" / ")}`);
  }
  return ms;
}
