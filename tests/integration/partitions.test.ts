// Observations, staged rows (migration 006) and the value tables (007) are partitioned by year: a
// file read makes the staging partitions of its years (010) and its load the others, rows land in
// the partition of their period's year, a rollup of one year reads no other year's derived
// figures, and a database made before the partitioning keeps its rows, ids and views.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { openDatabase } from '../../src/db/connect.js';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { loadSubmission } from '../../src/load/load-submission.js';
import { checkFile } from '../../src/normalise/check-file.js';
import { rollupPending } from '../../src/rollup/rollup.js';
import { dropFile } from '../helpers/drop-root.js';
import { stageWardFile, useStageContext } from '../helpers/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const WARD = '05440';

/** Rows per partition of a table, e.g. { observation_y2023: 2 }. */
type PartitionedTable = 'core.observation' | 'core.staged_value' | 'core.current_value' | 'core.derived_value' | 'core.aggregate_value';

async function rowsPerPartition(database: Database, table: PartitionedTable): Promise<Record<string, number>> {
  const { rows } = await sql<{ partition: string; n: number }>`
    SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM ${sql.table(table)} GROUP BY 1 ORDER BY 1`.execute(database.db);
  return Object.fromEntries(rows.map((r) => [r.partition.replace(/^core\./, ''), r.n]));
}

describe('partitioning by year', () => {
  const fixture = useStageContext('partitions');
  let n = 0;

  const partitionExists = async (name: string) =>
    (await sql<{ found: boolean }>`SELECT to_regclass(${'core.' + name}) IS NOT NULL AS found`.execute(fixture.database.db)).rows[0]!.found;

  /** Takes in and stages one ward file; returns its submission id (loaded or not). */
  const stage = (lines: string[]) => stageWardFile(fixture, WARD, `so-lieu-${++n}.csv`, lines);

  it('a file read stages its values straight into their years’ staging partitions; its load makes the other partitions of those years', async () => {
    const id = await stage(['BUDGET_REVENUE;2023S1;10,5;tỷ đồng', 'BUDGET_REVENUE;2024Q1;4;tỷ đồng', 'BUDGET_REVENUE;202403;1,5;tỷ đồng']);
    // Nothing waits in the default partition to be moved by the load (migration 010).
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_y2023: 1, staged_value_y2024: 2 });
    expect(await partitionExists('observation_y2023')).toBe(false);
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
    expect(await rowsPerPartition(fixture.database, 'core.observation')).toEqual({ observation_y2023: 1, observation_y2024: 2 });
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({});
  });

  it('values of years met in the middle of a file go to their own partitions too, whatever the order', async () => {
    const id = await stage(['BUDGET_REVENUE;2024Q2;5;tỷ đồng', 'BUDGET_REVENUE;2021Q1;6;tỷ đồng', 'BUDGET_REVENUE;2024Q3;7;tỷ đồng', 'BUDGET_REVENUE;2022Q1;8;tỷ đồng', 'BUDGET_REVENUE;2021Q2;9;tỷ đồng']);
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_y2021: 2, staged_value_y2022: 1, staged_value_y2024: 2 });
    const { rows } = await sql<{ row_no: number }>`SELECT row_no FROM core.staged_value WHERE submission_id = ${id} ORDER BY row_no`.execute(fixture.database.db);
    expect(rows.map((r) => r.row_no)).toEqual([2, 3, 4, 5, 6]);
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
    expect(await rowsPerPartition(fixture.database, 'core.observation')).toEqual({ observation_y2021: 2, observation_y2022: 1, observation_y2023: 1, observation_y2024: 4 });
  });

  it('a staged row of a year without partitions (a dry run, a detached partition) waits in the default partition and moves into the year’s partition when it is made', async () => {
    const unitKey = (await fixture.database.db.selectFrom('core.unit').select('unit_key').where('code', '=', WARD).executeTakeFirstOrThrow()).unit_key;
    await sql`INSERT INTO core.staged_value (submission_id, row_no, unit_key, indicator_code, period_code, series, status, raw_value, factor)
              VALUES (-1, 2, ${unitKey}, 'BUDGET_REVENUE', '2027Q1', 'actual', 'official', '1', 1)`.execute(fixture.database.db);
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_default: 1 });
    // History, staging and the four value tables.
    expect(await sql<{ n: number }>`SELECT core.ensure_year_partitions(ARRAY[2027]) AS n`.execute(fixture.database.db).then((r) => r.rows[0]!.n)).toBe(6);
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_y2027: 1 });
    await sql`DELETE FROM core.staged_value WHERE submission_id = -1`.execute(fixture.database.db);
  });

  it('loads of new years at the same time make each partition once, without errors or deadlocks', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await stage([`BUDGET_REVENUE;${2010 + (i % 3)}Q1;${i + 1};tỷ đồng`, `BUDGET_REVENUE;2013Q${(i % 4) + 1};1;tỷ đồng`]));
    const results = await Promise.all([...ids.map((id) => loadSubmission(fixture.ctx, id)), ...ids.map(() => sql`SELECT core.ensure_year_partitions(ARRAY[2013, 2014])`.execute(fixture.database.db))]);
    expect(results.slice(0, ids.length).map((r) => (r as { outcome: string }).outcome)).toEqual(ids.map(() => 'loaded'));
    const partitions = await rowsPerPartition(fixture.database, 'core.observation');
    expect(partitions).toMatchObject({ observation_y2010: 2, observation_y2011: 2, observation_y2012: 2, observation_y2013: 6 });
  });

  it('current, derived and rolled-up values land in the partition of their year', async () => {
    expect((await rollupPending(fixture.ctx)).changed).toBeGreaterThan(0);
    expect(await rowsPerPartition(fixture.database, 'core.current_value')).toMatchObject({ current_value_y2021: 2, current_value_y2022: 1, current_value_y2023: 1, current_value_y2024: 4 });
    const derived = await rowsPerPartition(fixture.database, 'core.derived_value');
    expect(Object.keys(derived)).toEqual(expect.arrayContaining(['derived_value_y2024']));
    const aggregated = await rowsPerPartition(fixture.database, 'core.aggregate_value');
    expect(Object.keys(aggregated)).toEqual(expect.arrayContaining(['aggregate_value_y2021', 'aggregate_value_y2022', 'aggregate_value_y2023', 'aggregate_value_y2024']));
    // Every partition holds only its own year.
    const { rows: misplaced } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT tableoid::regclass::text AS partition, period_code FROM core.derived_value
        UNION ALL SELECT tableoid::regclass::text, period_code FROM core.aggregate_value) v
      WHERE right(v.partition, 4) <> left(v.period_code, 4)`.execute(fixture.database.db);
    expect(misplaced[0]!.n).toBe(0);
  });

  /**
   * Runs `work` while another session holds `partitions` exclusively; gives its result, or
   * 'waited' if it had not finished after 10 s (a statement that read those partitions, or only
   * planned over them, waits for the lock).
   */
  const whileLocked = (partitions: string[], work: () => Promise<unknown>) =>
    fixture.database.withSession(async (session) => {
      await session.exec('BEGIN');
      try {
        await session.exec(`LOCK TABLE ${partitions.map((t) => `core.${t}`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
        return await Promise.race([work(), new Promise((resolve) => setTimeout(() => resolve('waited'), 10_000))]);
      } finally {
        await session.exec('ROLLBACK');
      }
    });

  it('a rollup of one year neither reads nor waits for another year’s derived and rolled-up values', async () => {
    const id = await stage(['BUDGET_REVENUE;202405;2;tỷ đồng', 'BUDGET_REVENUE;202406;3;tỷ đồng']);
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
    const outcome = await whileLocked(['derived_value_y2023', 'aggregate_value_y2023'], () => rollupPending(fixture.ctx).then((r) => r.years));
    expect(outcome).toEqual([2024]);
  });

  it('a load neither reads nor waits for another year’s staged values', async () => {
    const id = await stage(['BUDGET_REVENUE;202407;4;tỷ đồng']);
    const outcome = await whileLocked(['staged_value_y2021'], () => loadSubmission(fixture.ctx, id).then((r) => r.outcome));
    expect(outcome).toBe('loaded');
  });

  it('the checks after staging neither read nor wait for another year’s staged values', async () => {
    // checkFile alone (normalise first clears a retried job's rows from every year).
    const file = await dropFile(fixture.root, WARD, 'trung-lap.csv', 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính\nBUDGET_REVENUE;202408;1;tỷ đồng\nBUDGET_REVENUE;202408;2;tỷ đồng\n');
    const catalog = await fixture.ctx.catalog();
    const submissionId = '-2';
    const check = () => checkFile(fixture.database, catalog, { filePath: file, fileName: 'trung-lap.csv', source: catalog.sources.get(WARD)!, submissionId, dryRun: true });
    const outcome = await whileLocked(['staged_value_y2021'], () => check().then((c) => c.problems.items.map((p) => p.code)));
    expect(outcome).toEqual(['DUPLICATE_VALUE']);
    await fixture.database.db.deleteFrom('core.staged_value').where('submission_id', '=', submissionId).execute();
  });

  it('a query for one year reads only that year’s partition', async () => {
    const { rows } = await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN SELECT count(*) FROM core.observation WHERE period_code >= '2024' AND period_code < '2025'`.execute(fixture.database.db);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('observation_y2024');
    expect(plan).not.toContain('observation_y2023');
    expect(plan).not.toContain('observation_y2025');
  });
});

describe('upgrading a database made before the partitioning', () => {
  let tdb: TestDatabase;
  let before: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    before = await mkdtemp(path.join(os.tmpdir(), 'dstats-migrations-'));
    for (const name of await readdir(MIGRATIONS_DIR)) {
      if (name < '006') await cp(path.join(MIGRATIONS_DIR, name), path.join(before, name));
    }
  });
  afterAll(async () => {
    await tdb.drop();
    await rm(before, { recursive: true, force: true });
  });

  it('keeps every observation, its id and the history view, and ids carry on', async () => {
    const database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    try {
      await migrate(database, before);
      await database.execScript(`
        INSERT INTO core.unit (unit_key, code, name, type, level, valid_from) VALUES (1, '99999', 'Phường Thử', 'ward', 3, '2000-01-01');
        INSERT INTO core.indicator (code, domain, name_vi, name_en, uom, aggregation, period_aggregation)
          VALUES ('BUDGET_REVENUE', 'budget', 'Thu ngân sách', 'Budget revenue', 'tỷ đồng', 'sum', 'sum');
        INSERT INTO core.submission (submission_id, source_id, file_name, sha256, size_bytes, state, stored_path)
          VALUES (1, '99999', 'a.csv', 'x', 1, 'loaded', '/dev/null');
        INSERT INTO core.observation (submission_id, row_no, unit_key, indicator_code, period_code, series, status, value)
          VALUES (1, 2, 1, 'BUDGET_REVENUE', '2019', 'actual', 'official', 1), (1, 3, 1, 'BUDGET_REVENUE', '202001', 'actual', 'official', 2);
        INSERT INTO core.current_value (unit_key, indicator_code, period_code, series, value, status, status_rank, observation_id, submission_id)
          SELECT unit_key, indicator_code, period_code, series, value, status, 3, observation_id, submission_id FROM core.observation;
        INSERT INTO core.derived_value (unit_key, indicator_code, period_code, series, value, status, parts)
          VALUES (1, 'BUDGET_REVENUE', '2020Q1', 'actual', 2, 'official', 1), (1, 'BUDGET_REVENUE', '2019', 'actual', 9, 'official', 2);
        -- Values a better one hid in the mart until migration 012, which removes them.
        INSERT INTO core.aggregate_value (unit_key, indicator_code, period_code, series, value, status, reporting_units, expected_units)
          VALUES (1, 'BUDGET_REVENUE', '2020Q1', 'actual', 8, 'official', 1, 1), (1, 'BUDGET_REVENUE', '202001', 'actual', 7, 'official', 1, 1),
                 (1, 'BUDGET_REVENUE', '2020', 'actual', 6, 'official', 1, 1);`);
      const old = await database.db.selectFrom('core.observation').select(['observation_id', 'period_code']).orderBy('observation_id').execute();

      await migrate(database);
      expect(await rowsPerPartition(database, 'core.observation')).toEqual({ observation_y2019: 1, observation_y2020: 1 });
      const { rows: history } = await sql<{ observation_id: string; period_code: string; file_name: string }>`
        SELECT observation_id, period_code, file_name FROM mart.observation_history ORDER BY observation_id`.execute(database.db);
      expect(history).toEqual(old.map((o) => ({ ...o, file_name: 'a.csv' })));
      // The value tables too, and the views over them still read them, with their comments.
      expect(await rowsPerPartition(database, 'core.current_value')).toEqual({ current_value_y2019: 1, current_value_y2020: 1 });
      expect(await rowsPerPartition(database, 'core.derived_value')).toEqual({ derived_value_y2020: 1 });
      expect(await rowsPerPartition(database, 'core.aggregate_value')).toEqual({ aggregate_value_y2020: 1 });
      const { rows: facts } = await sql<{ period_code: string; derivation: string; value: string }>`
        SELECT period_code, derivation, value FROM mart.fact_value WHERE unit_code = '99999' ORDER BY period_code COLLATE "C"`.execute(database.db);
      expect(facts).toEqual([
        { period_code: '2019', derivation: 'reported', value: '1' },
        { period_code: '2020', derivation: 'units', value: '6' },
        { period_code: '202001', derivation: 'reported', value: '2' },
        { period_code: '2020Q1', derivation: 'periods', value: '2' },
      ]);
      const { rows: comment } = await sql<{ text: string | null }>`SELECT obj_description('mart.fact_value'::regclass) AS text`.execute(database.db);
      expect(comment[0]!.text).toMatch(/^One value per unit/);
      const next = await database.db
        .insertInto('core.observation')
        .values({ submission_id: '1', row_no: 4, unit_key: 1, indicator_code: 'BUDGET_REVENUE', period_code: '202002', series: 'actual', status: 'official', value: '3' })
        .returning('observation_id')
        .executeTakeFirstOrThrow();
      expect(BigInt(next.observation_id)).toBeGreaterThan(BigInt(old[1]!.observation_id));
    } finally {
      await database.close();
    }
  });
});
