// Random long-format files for property tests: a department's (164-VHTT) rows about wards and
// their city, for months and longer periods of one year, in the three statuses.
import fc from 'fast-check';
import { expect } from 'vitest';
import { steps } from '../../src/pipeline/steps.js';
import { LONG_HEADER, nowhere, stageFile, type StageFixture } from './pipeline.js';

export interface Row { unit: string; indicator: string; period: string; value: number; status: string }

/** Where the rows may fall: the fewer cells, the more often files report the same one. */
export interface Cells { units: string[]; indicators: string[]; periods: string[] }

const STATUSES = ['', 'sơ bộ', 'ước'];

/** A file of 1 to `maxRows` rows naming each cell once (a second line for a cell would reject it). */
export function randomFile(cells: Cells, maxRows: number): fc.Arbitrary<Row[]> {
  const row = fc.record({
    unit: fc.constantFrom(...cells.units),
    indicator: fc.constantFrom(...cells.indicators),
    period: fc.constantFrom(...cells.periods),
    value: fc.integer({ min: 0, max: 5000 }),
    status: fc.constantFrom(...STATUSES),
  });
  return fc.uniqueArray(row, { minLength: 1, maxLength: maxRows, selector: (r) => `${r.unit}|${r.indicator}|${r.period}` });
}

let files = 0;

/** Stages and loads the rows as a file of 164-VHTT for `year` (period codes are suffixes: '01', 'Q1'); returns its submission id. */
export async function loadRows(fixture: StageFixture, year: number, rows: readonly Row[]): Promise<string> {
  const lines = rows.map((r) => `${r.unit};${r.indicator};${year}${r.period};${r.value};lượt;;${r.status}`);
  const submissionId = await stageFile(fixture, '164-VHTT', `bao-cao-${++files}.csv`, [LONG_HEADER, ...lines].join('\n') + '\n');
  expect(await steps.load(fixture.ctx, nowhere, submissionId)).toMatchObject({ outcome: 'loaded' });
  return submissionId;
}
