// The rollup works through the claimed years in runs of consecutive years (src/rollup/rollup.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consecutiveRuns } from '../../src/rollup/rollup.js';

describe('consecutiveRuns', () => {
  it('splits sorted years where a year is missing', () => {
    expect(consecutiveRuns([2000, 2001, 2002, 2024])).toEqual([[2000, 2001, 2002], [2024]]);
    expect(consecutiveRuns([2024])).toEqual([[2024]]);
    expect(consecutiveRuns([])).toEqual([]);
  });

  it('keeps every year once, in order, each run without gaps and runs apart', () => {
    const sortedYears = fc.uniqueArray(fc.integer({ min: 1990, max: 2100 }), { maxLength: 40 }).map((ys) => ys.sort((a, b) => a - b));
    fc.assert(
      fc.property(sortedYears, (years) => {
        const runs = consecutiveRuns(years);
        expect(runs.flat()).toEqual(years);
        for (const run of runs) run.forEach((y, i) => i > 0 && expect(y).toBe(run[i - 1]! + 1));
        runs.forEach((run, i) => i > 0 && expect(run[0]!).toBeGreaterThan(runs[i - 1]!.at(-1)! + 1));
      }),
    );
  });
});
