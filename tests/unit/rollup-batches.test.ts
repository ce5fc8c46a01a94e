// The rollup's passes over its claimed years, and how many cells each takes (src/rollup/batches.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passCellLimit, rollupBatches, SPLIT_FROM_CELLS, type YearCells } from '../../src/rollup/batches.js';

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

describe('passCellLimit', () => {
  const years = (cells: number, count = 8) => Array.from({ length: count }, (_, i) => at(2000 + i, cells));

  it('splits a rollup of some hundreds of ward files into as many passes as may run at once', () => {
    // 8 months of ward files: 2,600 changed cells a year.
    expect(rollupBatches(years(2_600), passCellLimit(years(2_600), 50_000, 2))).toEqual([
      [2000, 2001, 2002, 2003],
      [2004, 2005, 2006, 2007],
    ]);
    expect(rollupBatches(years(2_600), passCellLimit(years(2_600), 50_000, 4))).toHaveLength(4);
  });

  it('keeps a small rollup in one pass, and each pass within the limit', () => {
    expect(passCellLimit(years(100), 50_000, 2)).toBe(50_000);
    expect(passCellLimit(years(2_600), 50_000, 1)).toBe(50_000);
    fc.assert(
      fc.property(fc.array(fc.nat(100_000), { maxLength: 30 }), fc.integer({ min: 1, max: 16 }), (cells, concurrency) => {
        const plan = cells.map((c, i) => at(2000 + i, c));
        const limit = passCellLimit(plan, 50_000, concurrency);
        expect(limit).toBeLessThanOrEqual(50_000);
        expect(limit).toBeGreaterThanOrEqual(Math.min(50_000, SPLIT_FROM_CELLS));
        const total = cells.reduce((a, b) => a + b, 0);
        if (total <= SPLIT_FROM_CELLS) expect(rollupBatches(plan, limit).length).toBeLessThanOrEqual(1);
      }),
    );
  });
});
