// RepeatedCells against a plain Set of cell texts: it must never miss a repeated cell, and must
// not claim one in a file without, as long as the file stays under its size bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepeatedCells } from '../../src/normalise/repeated-cells.js';
import { SERIES_CODES } from '../../src/normalise/vocabulary.js';
import type { StagedValue } from '../../src/normalise/staged-value.js';

type Cell = Pick<StagedValue, 'unitKey' | 'indicatorCode' | 'periodCode' | 'series'>;

const value = (c: Cell, rowNo: number): StagedValue => ({
  ...c,
  rowNo,
  sourceColumn: null,
  status: 'official',
  rawValue: '1',
  valueVi: '1',
  valueEn: '1',
  factor: '1',
  note: null,
});

const cell = fc.record({
  unitKey: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 0xffffffff })),
  indicatorCode: fc.constantFrom('CT001', 'CT002', 'CT017', 'NS-04', 'HC.12'),
  periodCode: fc.oneof(fc.constantFrom('2024', '2024Q1', '202403', '2024S2'), fc.integer({ min: 1990, max: 2030 }).map(String)),
  series: fc.constantFrom(...SERIES_CODES),
});
// Few units and periods, so that random files often repeat a cell.
const denseCell = fc.record({
  unitKey: fc.integer({ min: 1, max: 60 }),
  indicatorCode: fc.constantFrom('CT001', 'CT002', 'CT017', 'NS-04', 'HC.12'),
  periodCode: fc.constantFrom('2024', '2024Q1', '202403', '2024S2'),
  series: fc.constantFrom(...SERIES_CODES),
});
const textOf = (c: Cell) => [c.unitKey, c.indicatorCode, c.periodCode, c.series].join('|');

function feed(cells: Cell[], maxCells?: number) {
  const set = new RepeatedCells(maxCells);
  cells.forEach((c, i) => set.add(value(c, i + 1)));
  return set.possible;
}

describe('RepeatedCells', () => {
  it('tells a file that repeats a cell from one that does not, through the table growing', () => {
    fc.assert(
      fc.property(fc.array(denseCell, { maxLength: 3_000, size: 'large' }), (cells) => {
        const repeats = new Set(cells.map(textOf)).size < cells.length;
        expect(feed(cells)).toBe(repeats);
      }),
      { numRuns: 200 },
    );
  });

  it('never misses a repeat, wherever it comes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(cell, { selector: textOf, minLength: 1, maxLength: 2_000, size: 'large' }), fc.nat(), fc.nat(), (cells, from, to) => {
        const copy = cells[from % cells.length]!;
        const at = to % (cells.length + 1);
        const withRepeat = [...cells.slice(0, at), { ...copy }, ...cells.slice(at)];
        expect(feed(cells)).toBe(false);
        expect(feed(withRepeat)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('gives up, and says a repeat is possible, past its bound of distinct cells', () => {
    const cells = Array.from({ length: 2_000 }, (_, i): Cell => ({ unitKey: i, indicatorCode: 'CT001', periodCode: '2024', series: 'actual' }));
    expect(feed(cells, 100_000)).toBe(false);
    expect(feed(cells, 600)).toBe(true);
    expect(feed(cells.slice(0, 600), 600)).toBe(false);
  });

  it('gives up when a file has more distinct periods than a cell can number', () => {
    const cells = Array.from({ length: 70_000 }, (_, i): Cell => ({ unitKey: 1, indicatorCode: 'CT001', periodCode: `p${i}`, series: 'actual' }));
    expect(feed(cells.slice(0, 65_536))).toBe(false);
    expect(feed(cells)).toBe(true);
  });
});
