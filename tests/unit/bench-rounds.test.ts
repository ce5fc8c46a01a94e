// The bench's `--repeat N` (bench/rounds.ts): each figure is the median of its runs, so one slow
// run on a shared machine moves it no further than the middle run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, Rounds } from '../../bench/rounds.js';

const figure = fc.double({ min: 0, max: 1e6, noNaN: true });
const runsAndShuffled = fc
  .array(figure, { minLength: 1, maxLength: 21 })
  .chain((values) => fc.tuple(fc.constant(values), fc.shuffledSubarray(values, { minLength: values.length })));

describe('median', () => {
  it('is the middle run, or the mean of the two middle runs', () => {
    expect(median([7])).toBe(7);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 40, 20, 30])).toBe(25);
    expect(median([9.2, 9.4, 31])).toBe(9.4);
  });

  it('has at least half of the runs on each side, whatever their order', () => {
    fc.assert(
      fc.property(runsAndShuffled, ([values, shuffled]) => {
        const m = median(values);
        expect(median(shuffled)).toBe(m);
        expect(values.filter((v) => v <= m).length * 2).toBeGreaterThanOrEqual(values.length);
        expect(values.filter((v) => v >= m).length * 2).toBeGreaterThanOrEqual(values.length);
        if (values.length % 2 === 1) expect(values).toContain(m);
      }),
    );
  });

  it('is not moved past the middle by one run however slow', () => {
    fc.assert(
      fc.property(fc.array(figure, { minLength: 2, maxLength: 20 }), (values) => {
        const slow = [...values, 1e12];
        expect(median(slow)).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });

  it('refuses no runs', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('Rounds', () => {
  it('keeps every run of every figure in order, and the details of one round as they were', () => {
    const one = new Rounds();
    one.add('load', { figures: { load_s: 3, load_rows: 10 }, details: { stages: 1 } });
    expect(one.runs).toEqual({ load_s: [3], load_rows: [10] });
    expect(one.medians()).toEqual({ load_s: 3, load_rows: 10 });
    expect(one.detailsByScenario()).toEqual({ load: { stages: 1 } });

    const three = new Rounds();
    for (const [s, d] of [[5, 'a'], [4, 'b'], [9, 'c']] as const) {
      three.add('load', { figures: { load_s: s }, details: d });
      three.add('small_files', { figures: { small_files_per_s: s * 10 }, details: null });
    }
    expect(Object.keys(three.medians())).toEqual(['load_s', 'small_files_per_s']);
    expect(three.medians()).toEqual({ load_s: 5, small_files_per_s: 50 });
    expect(three.detailsByScenario()).toEqual({ load: ['a', 'b', 'c'], small_files: [null, null, null] });
  });
});
