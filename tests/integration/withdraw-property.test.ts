// Withdrawing files must leave the warehouse as if they had never been sent: for random nights of
// ward and city files (months, quarters, the half; three statuses; cells reported by several
// files), one database loads every file, rolls up after each, then withdraws a random choice of
// them one by one, rolling up after each; another loads only the files kept, in the same order.
// Their marts (reported, derived and rolled-up values, with their counts) must be equal. One
// year per run so that runs do not meet.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { steps } from '../../src/pipeline/steps.js';
import { withdrawSubmission } from '../../src/withdraw/withdraw-submission.js';
import { LONG_HEADER, martRows, nowhere, stageFile, useStageContext, type StageFixture } from '../helpers/pipeline.js';

const UNITS = ['05440', '05443', '164'];
// Few cells, so that several files report the same one and withdrawing one exposes another.
const INDICATORS = ['QR_SCANS'];
const PERIODS = ['01', '02', '03', 'Q1'];
const STATUSES = ['', 'sơ bộ', 'ước'];
const FIRST_YEAR = 2000; // to 2019: the units are those before the 2025 reorganisation
const RUNS = 20;

interface Row { unit: string; indicator: string; period: string; value: number; status: string }

const row = fc.record({
  unit: fc.constantFrom(...UNITS),
  indicator: fc.constantFrom(...INDICATORS),
  period: fc.constantFrom(...PERIODS),
  value: fc.integer({ min: 0, max: 5000 }),
  status: fc.constantFrom(...STATUSES),
});
// A file names each cell once (a second line for a cell would reject it).
const file = fc.uniqueArray(row, { minLength: 1, maxLength: 6, selector: (r) => `${r.unit}|${r.indicator}|${r.period}` });
// Each file, and whether it is withdrawn.
const night = fc.array(fc.tuple(file, fc.boolean()), { minLength: 2, maxLength: 10 });
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
  let n = 0;

  async function load(fixture: StageFixture, year: number, rows: Row[]): Promise<string> {
    const lines = rows.map((r) => `${r.unit};${r.indicator};${year}${r.period};${r.value};lượt;;${r.status}`);
    const submissionId = await stageFile(fixture, '164-VHTT', `bao-cao-${++n}.csv`, [LONG_HEADER, ...lines].join('\n') + '\n');
    expect(await steps.load(fixture.ctx, nowhere, submissionId)).toMatchObject({ outcome: 'loaded' });
    return submissionId;
  }
  const rollUp = (fixture: StageFixture) => steps.rollup(fixture.ctx, nowhere);

  it('leave the mart as a database that never had them', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(night, fc.nat(), async (files, order) => {
        const year = FIRST_YEAR + run++;
        const toWithdraw: string[] = [];
        for (const [rows, withdrawn] of files) {
          const id = await load(withdrawing, year, rows);
          await rollUp(withdrawing);
          if (withdrawn) toWithdraw.push(id);
          else await load(neverSent, year, rows);
        }
        await rollUp(neverSent);
        // Withdrawn in an order of their own, not always the order they were sent in.
        const start = toWithdraw.length > 0 ? order % toWithdraw.length : 0;
        for (const id of [...toWithdraw.slice(start), ...toWithdraw.slice(0, start)]) {
          await withdrawSubmission(withdrawing.database.db, id, 'property test');
          await rollUp(withdrawing);
        }
        expect(await martRows(withdrawing.database, year)).toEqual(await martRows(neverSent.database, year));
      }),
      { numRuns: RUNS, seed: 20261205, endOnFailure: true, examples: [[officialOverLaterEstimate, 0]] },
    );
  });
});
