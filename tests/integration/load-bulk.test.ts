// A bulk load (from BULK_ROWS staged values, a department's history) holds its years against
// other loads as well as rollup passes, and so writes the first current values of a year with a
// plain INSERT instead of the upsert (sql/queries/load_submission.sql, src/db/year-locks.ts).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BULK_ROWS } from '../../src/db/bulk-settings.js';
import { steps } from '../../src/pipeline/steps.js';
import { activeQueries, largeSubmission, waitFor, waitForLoadToWait, whileStagedRowsHeld } from '../helpers/faults.js';
import { cellsWithTwoValues, factValues, nowhere, stageFile, stageWardFile, useStageContext } from '../helpers/pipeline.js';

describe('a bulk load', () => {
  const fixture = useStageContext('load-bulk');
  const loadSubmission = (id: string) => steps.load(fixture.ctx, nowhere, id);
  const rollupPending = () => steps.rollup(fixture.ctx, nowhere);
  const stateOf = async (id: string) => (await fixture.database.db.selectFrom('core.submission').select('state').where('submission_id', '=', id).executeTakeFirstOrThrow()).state;

  /** The bulk file's own value of a cell (its observation), to compare the current value with. */
  const observed = async (submissionId: string, unit: string, indicator: string, period: string) => {
    const { rows } = await sql<{ value: string; status: string }>`
      SELECT o.value::text AS value, o.status FROM core.observation o JOIN core.unit u ON u.unit_key = o.unit_key
      WHERE o.submission_id = ${submissionId} AND u.code = ${unit} AND o.indicator_code = ${indicator} AND o.period_code = ${period} AND o.series = 'actual'`.execute(fixture.database.db);
    return rows[0];
  };
  const current = async (unit: string, indicator: string, period: string) =>
    (await factValues(fixture.database, { unit, indicator, period })).filter((r) => r.series === 'actual').map((r) => ({ value: String(r.value), status: r.status, submission_id: String(r.submission_id) }));

  it('writes each cell once by precedence, in the years it fills first and in a year that had values', async () => {
    // 2022 already holds two official values of ward 05443, which the bulk file also reports.
    const earlier = await stageFile(fixture, '164-TCKH', 'truoc-2022.csv', 'unit_code,indicator_code,period,series,value\n05443,PAR_INDEX_SCORE,202212,actual,50\n05443,SIPAS_SCORE,202212,actual,40\n');
    expect(await loadSubmission(earlier)).toMatchObject({ outcome: 'loaded', valuesLoaded: 2 });

    // 50,000 cells from December 2024 back to October 2021; the PAR index as estimates.
    const file = largeSubmission({ rows: BULK_ROWS, values: BULK_ROWS, lastYear: 2024, status: (indicator) => (indicator === 'PAR_INDEX_SCORE' ? 'ước tính' : 'chính thức') });
    const bulk = await stageFile(fixture, file.source, file.name, file.content);
    expect(await loadSubmission(bulk)).toEqual({ outcome: 'loaded', submissionId: bulk, valuesLoaded: BULK_ROWS, years: [2021, 2022, 2023, 2024] });

    // Every value of the file is its cell's current value, but for the one an official value keeps.
    const { rows: notCurrent } = await sql<{ unit: string; indicator_code: string; period_code: string }>`
      SELECT u.code AS unit, o.indicator_code, o.period_code
      FROM core.observation o JOIN core.unit u ON u.unit_key = o.unit_key
      WHERE o.submission_id = ${bulk}
        AND NOT EXISTS (SELECT FROM core.current_value c WHERE c.observation_id = o.observation_id AND c.period_code = o.period_code)`.execute(fixture.database.db);
    expect(notCurrent).toEqual([{ unit: '05443', indicator_code: 'PAR_INDEX_SCORE', period_code: '202212' }]);
    const { rows: counted } = await sql<{ cells: number }>`SELECT count(*)::int AS cells FROM core.current_value`.execute(fixture.database.db);
    expect(counted[0]!.cells).toBe(BULK_ROWS);

    expect(await current('05443', 'PAR_INDEX_SCORE', '202212')).toEqual([{ value: '50', status: 'official', submission_id: earlier }]);
    const sipas = await observed(bulk, '05443', 'SIPAS_SCORE', '202212');
    expect(await current('05443', 'SIPAS_SCORE', '202212')).toEqual([{ ...sipas, submission_id: bulk }]);
    // A year the file filled first: written as the file says, estimates as estimates.
    const par2023 = await observed(bulk, '05443', 'PAR_INDEX_SCORE', '202312');
    expect(par2023?.status).toBe('estimate');
    expect(await current('05443', 'PAR_INDEX_SCORE', '202312')).toEqual([{ ...par2023, submission_id: bulk }]);

    expect((await rollupPending()).years).toEqual([2021, 2022, 2023, 2024]);
    expect(await cellsWithTwoValues(fixture.database)).toEqual([]);
  });

  it('keeps other loads of its years waiting until it commits', async () => {
    const file = largeSubmission({ rows: BULK_ROWS, values: BULK_ROWS, lastYear: 2016 }); // 2013-2016
    const bulk = await stageFile(fixture, file.source, file.name, file.content);
    const ward = await stageWardFile(fixture, '05440', 'thu-ngan-sach-2015S1.csv', ['BUDGET_REVENUE;2015S1;7,5;tỷ đồng']);

    let bulkLoad: Promise<unknown> = Promise.resolve();
    let wardLoad: Promise<unknown> = Promise.resolve();
    await whileStagedRowsHeld(fixture.database, bulk, async () => {
      bulkLoad = loadSubmission(bulk);
      await waitForLoadToWait(fixture.database);
      wardLoad = loadSubmission(ward);
      await Promise.race([wardLoad, waitFor('the ward load to wait for 2015', async () => (await activeQueries(fixture.database)).some((q) => /pg_advisory_xact_lock_shared\(/.test(q.query) && q.wait_event_type === 'Lock'))]);
      expect(await stateOf(ward)).toBe('staged');
    });
    expect(await bulkLoad).toMatchObject({ outcome: 'loaded', valuesLoaded: BULK_ROWS });
    expect(await wardLoad).toMatchObject({ outcome: 'loaded', valuesLoaded: 1 });
    expect(await current('05440', 'BUDGET_REVENUE', '2015S1')).toEqual([{ value: '7.5', status: 'official', submission_id: ward }]);
  });

  it('is the only kind of load that keeps others out: loads below BULK_ROWS values share their years', async () => {
    const first = await stageWardFile(fixture, '05443', 'thu-ngan-sach-2010S1.csv', ['BUDGET_REVENUE;2010S1;3;tỷ đồng']);
    const second = await stageWardFile(fixture, '05440', 'thu-ngan-sach-2010S1.csv', ['BUDGET_REVENUE;2010S1;4;tỷ đồng']);
    let firstLoad: Promise<unknown> = Promise.resolve();
    await whileStagedRowsHeld(fixture.database, first, async () => {
      firstLoad = loadSubmission(first);
      await waitForLoadToWait(fixture.database);
      // The second load of 2010 is not kept out by the first, which holds 2010 too.
      expect(await loadSubmission(second)).toMatchObject({ outcome: 'loaded', valuesLoaded: 1 });
    });
    expect(await firstLoad).toMatchObject({ outcome: 'loaded', valuesLoaded: 1 });
  });
});
