// Which indicators a catalogue sync rebuilds (src/catalog/rules-change.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indicatorsToRebuild, type IndicatorRules } from '../../src/catalog/rules-change.js';

const rules = (code: string, aggregation = 'sum', weight: string | null = null, period = 'sum'): IndicatorRules => ({
  code,
  aggregation,
  weight_indicator: weight,
  period_aggregation: period,
});

const SHIPPED = [
  rules('BUDGET_REVENUE'),
  rules('HOUSEHOLDS', 'sum', null, 'last'),
  rules('POOR_HOUSEHOLD_RATE', 'weighted_mean', 'HOUSEHOLDS', 'last'),
  rules('CROPLAND_AREA', 'sum', null, 'last'),
  rules('CROP_OUTPUT_PER_HA', 'weighted_mean', 'CROPLAND_AREA', 'last'),
];
const edited = (code: string, change: Partial<IndicatorRules>) => SHIPPED.map((r) => (r.code === code ? { ...r, ...change } : r));

describe('indicatorsToRebuild', () => {
  it('is empty when no rule changed, whatever the order, and when indicators were only added', () => {
    expect(indicatorsToRebuild(SHIPPED, [...SHIPPED].reverse())).toEqual([]);
    expect(indicatorsToRebuild(SHIPPED, [...SHIPPED, rules('NEW_INDICATOR'), rules('NEW_RATE', 'weighted_mean', 'HOUSEHOLDS')])).toEqual([]);
  });

  it('names an indicator whose aggregation, weight or period aggregation changed', () => {
    expect(indicatorsToRebuild(SHIPPED, edited('BUDGET_REVENUE', { aggregation: 'none' }))).toEqual(['BUDGET_REVENUE']);
    expect(indicatorsToRebuild(SHIPPED, edited('BUDGET_REVENUE', { period_aggregation: 'last' }))).toEqual(['BUDGET_REVENUE']);
    expect(indicatorsToRebuild(SHIPPED, edited('POOR_HOUSEHOLD_RATE', { weight_indicator: 'CROPLAND_AREA' }))).toEqual(['POOR_HOUSEHOLD_RATE']);
  });

  it('adds the indicators weighted by a changed one', () => {
    expect(indicatorsToRebuild(SHIPPED, edited('HOUSEHOLDS', { aggregation: 'none' }))).toEqual(['HOUSEHOLDS', 'POOR_HOUSEHOLD_RATE']);
  });

  it('rebuilds nothing for an indicator no longer in the catalogue: a sync removes only one without values', () => {
    expect(indicatorsToRebuild(SHIPPED, SHIPPED.filter((r) => r.code !== 'BUDGET_REVENUE'))).toEqual([]);
  });

  it('follows weights transitively, and names exactly the changed indicators and what they weight', () => {
    const code = fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F');
    const catalogue = fc
      .uniqueArray(fc.record({ code, aggregation: fc.constantFrom('sum', 'mean', 'weighted_mean', 'none'), weight_indicator: fc.option(code, { nil: null }), period_aggregation: fc.constantFrom('sum', 'last') }), { selector: (r) => r.code })
      .map((rs) => rs as IndicatorRules[]);
    fc.assert(
      fc.property(catalogue, catalogue, (before, after) => {
        const rebuilt = new Set(indicatorsToRebuild(before, after));
        const now = new Map(after.map((r) => [r.code, r]));
        const changed = new Set(before.filter((r) => now.has(r.code) && JSON.stringify(r) !== JSON.stringify(now.get(r.code))).map((r) => r.code));
        for (const c of changed) expect(rebuilt.has(c)).toBe(true);
        // Closed: whatever a rebuilt indicator weights is rebuilt too.
        for (const r of after) if (r.weight_indicator !== null && rebuilt.has(r.weight_indicator)) expect(rebuilt.has(r.code)).toBe(true);
        // Minimal: each one changed, or weighted by one rebuilt.
        for (const c of rebuilt) expect(changed.has(c) || rebuilt.has(now.get(c)?.weight_indicator ?? '')).toBe(true);
      }),
    );
  });
});
