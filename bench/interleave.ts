// Runs several variants of one measurement in rounds, each round running every variant once, in
// an order that rotates from round to round: a burst of load from the rest of the machine hits
// all variants alike, and no variant always runs first (after a cold cache) or last.

/** One run of a variant: returns its duration in milliseconds. */
export type TimedRun = () => number | Promise<number>;

export interface Rounds {
  /** Measured rounds. */
  rounds: number;
  /** Rounds run first and thrown away (caches, the bundle, the kernel's dentries warm up). */
  warmup: number;
  /** Called after each round, e.g. to show progress. */
  onRound?: (done: number, total: number) => void;
}

export async function interleave<Name extends string>(variants: Record<Name, TimedRun>, { rounds, warmup, onRound }: Rounds): Promise<Record<Name, number[]>> {
  const names = Object.keys(variants) as Name[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  const total = warmup + rounds;
  for (let round = 0; round < total; round++) {
    const shift = round % names.length;
    for (const name of [...names.slice(shift), ...names.slice(0, shift)]) {
      const ms = await variants[name]();
      if (round >= warmup) samples[name].push(ms);
    }
    onRound?.(round + 1, total);
  }
  return samples;
}
