// Withdrawing files must leave the warehouse as if they had never been sent: for random nights of
// ward and city files (three months and their quarter; three statuses; cells reported by several
// files), one database loads every file, rolls up after each, then withdraws a random choice of
// them, all at once or one by one with a rollup after each; another loads only the files kept,
// in the same order.
// Their marts (reported, derived and rolled-up values, with their counts) must be equal. One
// year per run so that runs do not meet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { steps } from '../../src/pipeline/steps.js';
import { withdrawSubmissions } from '../../src/withdraw/withdraw-submission.js';
import { martRows, nowhere, useStageContext, type StageFixture } from '../helpers/pipeline.js';
import { loadRows, randomFile, type Row } from '../helpers/random-files.js';

// Few cells, so that several files report the same one and withdrawing one exposes another.
const CELLS = { units: ['05440', '05443', '164'], indicators: ['QR_SCANS'], periods: ['01', '02', '03', 'Q1'] };
const FIRST_YEAR = 2000; // to 2019: the units are those before the 2025 reorganisation
const RUNS = 20;

// Each file, and whether it is withdrawn.
const night = fc.array(fc.tuple(randomFile(CELLS, 6), fc.boolean()), { minLength: 2, maxLength: 10 });
type Night = [Row[], boolean][];

const cell = { unit: '05440', indicator: 'QR_SCANS', period: '01' };
// The file in force withdrawn: an earlier official value wins over a later estimate.
const officialOverLaterEstimate: Night = [
  [[{ ...cell, value: 1, status: '' }], false],
  [[{ ...cell, value: 2, status: 'ước' }], false],
  [[{ ...cell, value: 3, status: '' }], true],
];

describe('withdrawn files, whatever they held', () => {
  const withdrawing = useStageContext('withdraw-property');
  const neverSent = useStageContext('withdraw-property-never');
  const rollUp = (fixture: StageFixture) => steps.rollup(fixture.ctx, nowhere);

  it('leave the mart as a database that never had them', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(night, fc.nat(), async (files, order) => {
        const year = FIRST_YEAR + run++;
        const toWithdraw: string[] = [];
        for (const [rows, withdrawn] of files) {
          const id = await loadRows(withdrawing, year, rows);
          await rollUp(withdrawing);
          if (withdrawn) toWithdraw.push(id);
          else await loadRows(neverSent, year, rows);
        }
        await rollUp(neverSent);
        // All at once in one command, or one by one in an order of their own, not always the
        // order they were sent in.
        if (order % 2 === 0) {
          await withdrawSubmissions(withdrawing.database.db, toWithdraw, 'property test');
          await rollUp(withdrawing);
        } else {
          const start = toWithdraw.length > 0 ? order % toWithdraw.length : 0;
          for (const id of [...toWithdraw.slice(start), ...toWithdraw.slice(0, start)]) {
            await withdrawSubmissions(withdrawing.database.db, [id], 'property test');
            await rollUp(withdrawing);
          }
        }
        expect(await martRows(withdrawing.database, year)).toEqual(await martRows(neverSent.database, year));
      }),
      { numRuns: RUNS, seed: 20261205, endOnFailure: true, examples: [[officialOverLaterEstimate, 0]] },
    );
  });
});
