// Years and periods as messages write them (src/report/spans.ts).
import { describe, expect, it } from 'vitest';
import { idList, periodList, yearSpan } from '../../src/report/spans.js';

describe('spans', () => {
  it('writes one year, or the first and last', () => {
    expect(yearSpan([2024])).toBe('2024');
    expect(yearSpan([2021, 2022, 2024])).toBe('2021–2024');
  });

  it('lists a few periods, and the first and last of many with their count', () => {
    expect(periodList(['202701'])).toBe('202701');
    expect(periodList(['202701', '202702', '2027Q1'])).toBe('202701, 202702, 2027Q1');
    const months = Array.from({ length: 24 }, (_, i) => `${2026 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}`);
    expect(periodList(months)).toBe('202601 … 202712 (24 periods)');
  });

  it('lists a few ids, and the first six of many with their count', () => {
    expect(idList(['7'])).toBe('7');
    expect(idList(['2', '5', '11'])).toBe('2, 5, 11');
    expect(idList(['1', '2', '3', '4', '5', '6', '7', '8', '9'])).toBe('1, 2, 3, 4, 5, 6 … (9 in all)');
  });
});
