// Staging a file's values (src/normalise/stage-values.ts): each value is copied straight into its
// year's staging partition, the COPY stopping to make the partition of a year met for the first
// time, whatever the order of the years in the file; nothing waits in the default partition, and
// several files making the same new years at once neither fail nor deadlock.
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { stageValues } from '../../src/normalise/stage-values.js';
import type { StagedValue } from '../../src/normalise/staged-value.js';
import { useStageContext } from '../helpers/pipeline.js';

const value = (rowNo: number, year: number): StagedValue => ({
  rowNo,
  sourceColumn: null,
  unitKey: 1,
  indicatorCode: 'BUDGET_REVENUE',
  periodCode: `${year}Q${(rowNo % 4) + 1}`,
  series: 'actual',
  status: 'official',
  rawValue: String(rowNo),
  valueVi: String(rowNo),
  valueEn: String(rowNo),
  factor: '1',
  note: null,
});

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('staging values by year', () => {
  const fixture = useStageContext('stage-values');
  let nextSubmission = 1_000;

  /** Staged rows of one submission: [row_no, partition], by row. */
  async function stagedRows(submissionId: string) {
    const { rows } = await sql<{ row_no: number; partition: string }>`
      SELECT row_no, tableoid::regclass::text AS partition FROM core.staged_value
      WHERE submission_id = ${submissionId} ORDER BY row_no`.execute(fixture.database.db);
    return rows.map((r) => [r.row_no, r.partition.replace(/^core\./, '')]);
  }

  it('copies every value into the partition of its year, in whatever order the years come', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1990, max: 2009 }), { minLength: 0, maxLength: 40 }), async (years) => {
        const submissionId = String(++nextSubmission);
        const values = years.map((year, i) => value(i + 2, year));
        expect(await stageValues(fixture.database, submissionId, each(values), { makePartitions: true })).toBe(values.length);
        expect(await stagedRows(submissionId)).toEqual(values.map((v, i) => [v.rowNo, `staged_value_y${years[i]}`]));
        await sql`DELETE FROM core.staged_value WHERE submission_id = ${submissionId}`.execute(fixture.database.db);
      }),
      { numRuns: 40 },
    );
    // Partitions made only for staging: the history and value tables wait for a load.
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'observation_y%'`.execute(fixture.database.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('files making the same new years at the same time all stage, each partition made once', async () => {
    const files = Array.from({ length: 6 }, (_, f) => ({
      submissionId: String(++nextSubmission),
      values: Array.from({ length: 30 }, (_, i) => value(i + 2, 2030 + ((i + f) % 5))),
    }));
    const staged = await Promise.all(files.map((f) => stageValues(fixture.database, f.submissionId, each(f.values), { makePartitions: true })));
    expect(staged).toEqual(files.map(() => 30));
    for (const f of files) expect(await stagedRows(f.submissionId)).toEqual(f.values.map((v) => [v.rowNo, `staged_value_y${v.periodCode.slice(0, 4)}`]));
  });

  it('a dry run leaves the schema as it is: a new year’s values wait in the default partition', async () => {
    const submissionId = String(-++nextSubmission);
    // 2045 has its staging partition, 2040 none.
    await sql`SELECT core.ensure_staging_partitions(ARRAY[2045])`.execute(fixture.database.db);
    await stageValues(fixture.database, submissionId, each([value(2, 2040), value(3, 2045)]), { makePartitions: false });
    expect(await stagedRows(submissionId)).toEqual([[2, 'staged_value_default'], [3, 'staged_value_y2045']]);
    expect(await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'staged_value_y2040'`.execute(fixture.database.db).then((r) => r.rows[0]!.n)).toBe(0);
  });

  it('a failing source stops the COPY, closes the source and stages nothing of that segment', async () => {
    const submissionId = String(++nextSubmission);
    let closed = false;
    async function* failing(): AsyncGenerator<StagedValue> {
      try {
        yield value(2, 2001);
        yield value(3, 2050);
        throw new Error('unreadable line 4');
      } finally {
        closed = true;
      }
    }
    await expect(stageValues(fixture.database, submissionId, failing(), { makePartitions: true })).rejects.toThrow('unreadable line 4');
    expect(closed).toBe(true);
    // The first segment (2001) was committed by its own COPY; the failing one was not.
    expect(await stagedRows(submissionId)).toEqual([[2, 'staged_value_y2001']]);
  });
});
