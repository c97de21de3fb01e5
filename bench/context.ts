// What every part of the benchmark is given.
import type { Cleanup } from "./cleanup.js";

export interface BenchContext {
  /** The repository's root directory. */
  repo: string;
  /** Fewer rounds (`--quick`). */
  quick: boolean;
  cleanup: Cleanup;
  /** A temporary directory for this run, removed at the end. */
  work: string;
  /** The benchmark's bundled helper programs (see bin/bench). */
  programs: { startRunner: string; floor: string; inkFloor: string; roomHost?: string };
  /** Progress for the person waiting. */
  log(line: string): void;
}

/** Measured rounds and warm-up rounds: full, or `--quick`. */
export function roundsFor(ctx: BenchContext, full: number, quick: number, warmup = 2): { rounds: number; warmup: number } {
  return ctx.quick ? { rounds: quick, warmup: 1 } : { rounds: full, warmup };
}
