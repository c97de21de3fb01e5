// Summaries of repeated measurements: the median, with the min and max, as the report prints them.

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("no samples to summarise");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/**
 * Run i of `subject` divided by run i of `reference`: both ran in the same round, back to back,
 * so noise from the rest of the machine mostly cancels out of each ratio.
 */
export function pairedRatios(subject: readonly number[], reference: readonly number[]): number[] {
  if (subject.length !== reference.length) throw new Error(`cannot pair ${subject.length} runs with ${reference.length}`);
  return subject.map((value, i) => value / reference[i]!);
}
