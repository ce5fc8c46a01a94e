// Which indicators' computed values a catalogue sync has made stale. An indicator whose
// aggregation, weight or period aggregation changed is computed again; so is every indicator
// weighted by one of those, since a weighted mean's parent reads its weight's rolled-up values.
// A new indicator has no values yet, and one removed had none (a sync refuses to remove one that
// has: retire.ts), so adding or removing one rebuilds nothing.

export interface IndicatorRules {
  code: string;
  aggregation: string;
  weight_indicator: string | null;
  period_aggregation: string;
}

const sameRules = (a: IndicatorRules, b: IndicatorRules) =>
  a.aggregation === b.aggregation && a.weight_indicator === b.weight_indicator && a.period_aggregation === b.period_aggregation;

/** The indicators to rebuild, sorted: changed since `before`, and what they weight, transitively. */
export function indicatorsToRebuild(before: readonly IndicatorRules[], after: readonly IndicatorRules[]): string[] {
  const now = new Map(after.map((rules) => [rules.code, rules]));
  const changed = before.filter((old) => now.has(old.code) && !sameRules(old, now.get(old.code)!)).map((old) => old.code);
  return withWhatTheyWeight(changed, after);
}

/** `codes` and every indicator weighted by one of them, transitively, sorted. */
export function withWhatTheyWeight(codes: Iterable<string>, rules: readonly IndicatorRules[]): string[] {
  const stale = new Set(codes);
  for (let grew = stale.size > 0; grew; ) {
    grew = false;
    for (const indicator of rules) {
      if (indicator.weight_indicator !== null && stale.has(indicator.weight_indicator) && !stale.has(indicator.code)) {
        stale.add(indicator.code);
        grew = true;
      }
    }
  }
  return [...stale].sort();
}
