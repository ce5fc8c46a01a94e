// The rollup's passes over its claimed years (src/rollup/batches.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rollupBatches, type YearCells } from '../../src/rollup/batches.js';

const at = (year: number, cells: number): YearCells => ({ year, cells });

describe('rollupBatches', () => {
  it('puts consecutive small years in one pass, a gap or a bulk year in passes of their own', () => {
    expect(rollupBatches([at(2022, 100), at(2023, 200), at(2024, 50)], 1000)).toEqual([[2022, 2023, 2024]]);
    expect(rollupBatches([at(2003, 100), at(2024, 50)], 1000)).toEqual([[2003], [2024]]);
    expect(rollupBatches([at(2000, 900), at(2001, 900), at(2002, 50)], 1000)).toEqual([[2000], [2001, 2002]]);
    expect(rollupBatches([at(2000, 5000)], 1000)).toEqual([[2000]]);
    expect(rollupBatches([], 1000)).toEqual([]);
  });

  it('covers every year once, in order; each pass is consecutive and within the limit unless one year exceeds it', () => {
    const claims = fc
      .uniqueArray(fc.integer({ min: 1990, max: 2100 }), { maxLength: 40 })
      .chain((ys) => fc.tuple(fc.constant([...ys].sort((a, b) => a - b)), fc.array(fc.nat(3000), { minLength: ys.length, maxLength: ys.length })))
      .map(([ys, cells]) => ys.map((year, i) => at(year, cells[i]!)));
    fc.assert(
      fc.property(claims, fc.integer({ min: 1, max: 5000 }), (years, maxCells) => {
        const batches = rollupBatches(years, maxCells);
        expect(batches.flat()).toEqual(years.map((y) => y.year));
        const cellsOf = new Map(years.map((y) => [y.year, y.cells]));
        const total = (b: number[]) => b.reduce((sum, y) => sum + cellsOf.get(y)!, 0);
        for (const batch of batches) {
          batch.forEach((y, i) => i > 0 && expect(y).toBe(batch[i - 1]! + 1));
          if (batch.length > 1) expect(total(batch)).toBeLessThanOrEqual(maxCells);
        }
        // Greedy: a pass starts only where the previous one could not take its first year.
        batches.forEach((batch, i) => {
          if (i === 0) return;
          const previous = batches[i - 1]!;
          const adjacent = previous.at(-1)! + 1 === batch[0]!;
          if (adjacent) expect(total(previous) + cellsOf.get(batch[0]!)!).toBeGreaterThan(maxCells);
        });
      }),
    );
  });
});
