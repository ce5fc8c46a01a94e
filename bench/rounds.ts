// `--repeat N`: every scenario runs N times, in rounds (all scenarios, then all again), so a slow
// spell of a shared machine hits one round of each rather than every run of one scenario. Each
// figure is then the median of its runs; each ratio is still taken against the baseline of its
// own run.

/** The middle value; for an even count the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The figures and details of every round, by name, in the order they first came. */
export class Rounds {
  readonly runs: Record<string, number[]> = {};
  readonly details: Record<string, unknown[]> = {};

  add(scenario: string, result: { figures: Record<string, number>; details: unknown }): void {
    for (const [name, value] of Object.entries(result.figures)) (this.runs[name] ??= []).push(value);
    (this.details[scenario] ??= []).push(result.details);
  }

  medians(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.runs).map(([name, values]) => [name, median(values)]));
  }

  /** One round: its details as they were; several: a list, one entry per round. */
  detailsByScenario(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.details).map(([name, list]) => [name, list.length === 1 ? list[0] : list]));
  }
}
