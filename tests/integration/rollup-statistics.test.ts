// A rollup pass analyses its work tables with a small sample, but a year's value partitions with
// the server's statistics target: those statistics outlive the pass and plan the warehouse's
// queries (src/rollup/rollup.ts).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../src/load/load-submission.js';
import { rollupPending } from '../../src/rollup/rollup.js';
import { largeSubmission } from '../helpers/faults.js';
import { stageFile, useStageContext } from '../helpers/pipeline.js';

describe('rollup statistics', () => {
  const fixture = useStageContext('rollup-statistics');

  const statisticsTarget = async () =>
    (await sql<{ target: string }>`SELECT current_setting('default_statistics_target') AS target`.execute(fixture.database.db)).rows[0]!.target;
  // The setting on every connection of the pool: queries started together each take a connection
  // of their own, the idle ones first (the pass's among them), up to the pool's ten.
  const statisticsTargetOnEveryConnection = () => Promise.all(Array.from({ length: 10 }, statisticsTarget));

  it('analyses a bulk year with the server target and leaves the session setting alone', async () => {
    const before = await statisticsTarget();
    expect(Number(before)).toBeGreaterThan(33);
    // 6,000 cells of 2024 (33 units, 13 indicators, 3 series, August to December): a bulk pass.
    const file = largeSubmission({ rows: 6_000, values: 6_000, lastYear: 2024 });
    const id = await stageFile(fixture, file.source, file.name, file.content);
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
    const rolled = await rollupPending(fixture.ctx);
    expect(rolled.years).toEqual([2024]);
    expect(rolled.changed).toBe(6_000);

    const { rows } = await sql<{ attname: string; mcv: number | null }>`
      SELECT attname, array_length(most_common_vals::text::text[], 1) AS mcv
      FROM pg_stats
      WHERE schemaname = 'core' AND tablename = 'current_value_y2024' AND attname IN ('unit_key', 'indicator_code')
      ORDER BY attname`.execute(fixture.database.db);
    // Every distinct value is kept as a common one under a target above the count of distinct
    // values; the work tables' target of 10 would keep at most 10.
    expect(rows).toEqual([
      { attname: 'indicator_code', mcv: 13 },
      { attname: 'unit_key', mcv: 33 },
    ]);
    expect(new Set(await statisticsTargetOnEveryConnection())).toEqual(new Set([before]));
  });
});
