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
  const stale = new Set(before.filter((old) => now.has(old.code) && !sameRules(old, now.get(old.code)!)).map((old) => old.code));
  for (let grew = stale.size > 0; grew; ) {
    grew = false;
    for (const rules of after) {
      if (rules.weight_indicator !== null && stale.has(rules.weight_indicator) && !stale.has(rules.code)) {
        stale.add(rules.code);
        grew = true;
      }
    }
  }
  return [...stale].sort();
}
