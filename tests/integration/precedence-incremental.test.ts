// The precedence of a cell (reported > derived from the unit's own periods > rolled up from its
// children, SPEC §6) is kept by whoever writes a value: the load, the derivation and the rollup
// (migration 012). However the loads and the rollups of a night interleave, the mart must end the
// same: here every file is rolled up as soon as it is loaded in one database, and all of them in
// one rollup at the end in another, and the two marts must be equal, with one value per cell.
// Random files of wards and of their city (months, quarters, the half; three statuses), one year
// per run so that runs do not meet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { steps } from '../../src/pipeline/steps.js';
import { expectSameMart, martSnapshot } from '../helpers/faults.js';
import { cellsWithTwoValues, nowhere, useStageContext, type StageFixture } from '../helpers/pipeline.js';
import { loadRows, randomFile } from '../helpers/random-files.js';

const CELLS = { units: ['05440', '05443', '164'], indicators: ['QR_SCANS', 'QR_POINTS'], periods: ['01', '02', '03', '04', '05', '06', 'Q1', 'Q2', 'S1'] };
const FIRST_YEAR = 2010;
const RUNS = 10;

const night = fc.array(randomFile(CELLS, 4), { minLength: 2, maxLength: 7 });

describe('the precedence of a cell, whatever the order of loads and rollups', () => {
  const eachLoad = useStageContext('precedence-each-load');
  const atTheEnd = useStageContext('precedence-at-the-end');
  const rollUp = (fixture: StageFixture) => steps.rollup(fixture.ctx, nowhere);
  const martOf = async (fixture: StageFixture, year: number) =>
    (await martSnapshot(fixture.database)).filter((line) => line.split('|')[2]!.startsWith(String(year)));

  it('ends with the same mart, one value per cell, whether each file is rolled up at once or all at the end', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(night, async (files) => {
        const year = FIRST_YEAR + run++;
        for (const rows of files) {
          await loadRows(eachLoad, year, rows);
          await rollUp(eachLoad);
          await loadRows(atTheEnd, year, rows);
        }
        await rollUp(atTheEnd);
        const [incremental, batch] = [await martOf(eachLoad, year), await martOf(atTheEnd, year)];
        expect(batch.length).toBeGreaterThan(0);
        expectSameMart(incremental, batch);
        expect(await cellsWithTwoValues(eachLoad.database)).toEqual([]);
        expect(await cellsWithTwoValues(atTheEnd.database)).toEqual([]);
      }),
      { numRuns: RUNS, seed: 20221231, endOnFailure: true },
    );
  });
});
