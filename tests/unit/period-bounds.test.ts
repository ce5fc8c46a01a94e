// Period-code bounds of a statement's years (src/db/period-bounds.ts): they must hold every period
// of those years, since a staged value outside them would be neither checked nor loaded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVERY_YEAR, periodBounds, periodYears, yearBounds } from '../../src/db/period-bounds.js';
import { MAX_YEAR, MIN_YEAR, periodInfo } from '../../src/normalise/periods.js';

const two = (n: number) => String(n).padStart(2, '0');
const suffix = fc.oneof(
  fc.constant(''),
  fc.constantFrom('S1', 'S2', 'Q1', 'Q2', 'Q3', 'Q4'),
  fc.integer({ min: 1, max: 12 }).map(two),
  fc.integer({ min: 1, max: 12 }).map((m) => `YTD${two(m)}`),
);
const periodCode = fc.tuple(fc.integer({ min: MIN_YEAR, max: MAX_YEAR }), suffix).map(([year, rest]) => `${year}${rest}`);
const within = (code: string, [from, to]: readonly [string, string]) => code >= from && code < to;

describe('period-code bounds', () => {
  it('are the first year and the year after the last', () => {
    expect(yearBounds([2000, 2001, 2002])).toEqual(['2000', '2003']);
    expect(periodBounds(['2023Q4', '202401', '2024YTD06'])).toEqual(['2023', '2025']);
    expect(periodBounds(['2024'])).toEqual(['2024', '2025']);
  });

  it('hold every period of the given codes’ years, and no period of another year outside them', () => {
    fc.assert(
      fc.property(fc.array(periodCode, { minLength: 1, maxLength: 30 }), periodCode, (codes, other) => {
        for (const code of codes) expect(periodInfo(code)).not.toBeNull();
        const bounds = periodBounds(codes);
        for (const code of codes) expect(within(code, bounds)).toBe(true);
        const years = codes.map((c) => Number(c.slice(0, 4)));
        const year = Number(other.slice(0, 4));
        expect(within(other, bounds)).toBe(year >= Math.min(...years) && year <= Math.max(...years));
      }),
    );
  });

  it('name each year of the codes once, ascending (the years a load locks)', () => {
    expect(periodYears(['2024YTD06', '2023Q4', '202401'])).toEqual([2023, 2024]);
    expect(periodYears(['2024', 'not a period'])).toBeNull();
    fc.assert(
      fc.property(fc.array(periodCode, { minLength: 1, maxLength: 30 }), (codes) => {
        const years = periodYears(codes)!;
        expect(years).toEqual([...new Set(codes.map((c) => Number(c.slice(0, 4))))].sort((a, b) => a - b));
        expect(periodBounds(codes)).toEqual(yearBounds(years));
      }),
    );
  });

  it('hold every period when the codes say nothing of their years', () => {
    expect(periodBounds([])).toEqual(EVERY_YEAR);
    expect(periodBounds(['2024', 'not a period'])).toEqual(EVERY_YEAR);
    fc.assert(fc.property(periodCode, (code) => within(code, EVERY_YEAR)));
  });
});
