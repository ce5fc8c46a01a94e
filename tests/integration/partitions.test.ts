// Observations and staged rows are partitioned by year (migration 006): a load makes the
// partitions of its years, rows land in the partition of their period's year, and a database made
// before the partitioning keeps its rows and ids.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { openDatabase } from '../../src/db/connect.js';
import { MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { loadSubmission } from '../../src/load/load-submission.js';
import { normaliseSubmission } from '../../src/normalise/stage.js';
import { intakeFile } from '../../src/pipeline/intake.js';
import { dropFile } from '../helpers/drop-root.js';
import { useStageContext } from '../helpers/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

const WARD = '05440';

/** Rows per partition of a table, e.g. { observation_y2023: 2 }. */
async function rowsPerPartition(database: Database, table: 'core.observation' | 'core.staged_value'): Promise<Record<string, number>> {
  const { rows } = await sql<{ partition: string; n: number }>`
    SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM ${sql.table(table)} GROUP BY 1 ORDER BY 1`.execute(database.db);
  return Object.fromEntries(rows.map((r) => [r.partition.replace(/^core\./, ''), r.n]));
}

describe('partitioning by year', () => {
  const fixture = useStageContext('partitions');
  let n = 0;

  /** Takes in and stages one ward file; returns its submission id (loaded or not). */
  async function stage(lines: string[]): Promise<string> {
    const fileName = `so-lieu-${++n}.csv`;
    await dropFile(fixture.root, WARD, fileName, ['Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính', ...lines].join('\n') + '\n');
    const intake = await intakeFile(fixture.ctx, { sourceId: WARD, fileName });
    if (intake.outcome !== 'registered') throw new Error(`not registered: ${intake.outcome}`);
    const staged = await normaliseSubmission(fixture.ctx, intake.submissionId);
    expect(staged.outcome).toBe('staged');
    return intake.submissionId;
  }

  it('a load makes the partitions of its years and its observations land in them', async () => {
    const id = await stage(['BUDGET_REVENUE;2023S1;10,5;tỷ đồng', 'BUDGET_REVENUE;2024Q1;4;tỷ đồng', 'BUDGET_REVENUE;202403;1,5;tỷ đồng']);
    // Years met for the first time wait in the default staging partition.
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_default: 3 });
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
    expect(await rowsPerPartition(fixture.database, 'core.observation')).toEqual({ observation_y2023: 1, observation_y2024: 2 });
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({});
  });

  it('later files of a known year are staged in that year’s own partition; a new year’s rows move into theirs', async () => {
    const id = await stage(['BUDGET_REVENUE;2024Q2;5;tỷ đồng', 'BUDGET_REVENUE;2025Q1;6;tỷ đồng']);
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_default: 1, staged_value_y2024: 1 });
    // The load makes 2025's partition and moves the row waiting in the default partition into it.
    expect(await sql<{ n: number }>`SELECT core.ensure_year_partitions(ARRAY[2025]) AS n`.execute(fixture.database.db).then((r) => r.rows[0]!.n)).toBe(2);
    expect(await rowsPerPartition(fixture.database, 'core.staged_value')).toEqual({ staged_value_y2024: 1, staged_value_y2025: 1 });
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
    expect(await rowsPerPartition(fixture.database, 'core.observation')).toEqual({ observation_y2023: 1, observation_y2024: 3, observation_y2025: 1 });
  });

  it('loads of new years at the same time make each partition once, without errors or deadlocks', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await stage([`BUDGET_REVENUE;${2010 + (i % 3)}Q1;${i + 1};tỷ đồng`, `BUDGET_REVENUE;2013Q${(i % 4) + 1};1;tỷ đồng`]));
    const results = await Promise.all([...ids.map((id) => loadSubmission(fixture.ctx, id)), ...ids.map(() => sql`SELECT core.ensure_year_partitions(ARRAY[2013, 2014])`.execute(fixture.database.db))]);
    expect(results.slice(0, ids.length).map((r) => (r as { outcome: string }).outcome)).toEqual(ids.map(() => 'loaded'));
    const partitions = await rowsPerPartition(fixture.database, 'core.observation');
    expect(partitions).toMatchObject({ observation_y2010: 2, observation_y2011: 2, observation_y2012: 2, observation_y2013: 6 });
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
        INSERT INTO core.submission (submission_id, source_id, file_name, sha256, size_bytes, state, stored_path)
          VALUES (1, '99999', 'a.csv', 'x', 1, 'loaded', '/dev/null');
        INSERT INTO core.observation (submission_id, row_no, unit_key, indicator_code, period_code, series, status, value)
          VALUES (1, 2, 1, 'BUDGET_REVENUE', '2019', 'actual', 'official', 1), (1, 3, 1, 'BUDGET_REVENUE', '202001', 'actual', 'official', 2);`);
      const old = await database.db.selectFrom('core.observation').select(['observation_id', 'period_code']).orderBy('observation_id').execute();

      await migrate(database);
      expect(await rowsPerPartition(database, 'core.observation')).toEqual({ observation_y2019: 1, observation_y2020: 1 });
      const { rows: history } = await sql<{ observation_id: string; period_code: string; file_name: string }>`
        SELECT observation_id, period_code, file_name FROM mart.observation_history ORDER BY observation_id`.execute(database.db);
      expect(history).toEqual(old.map((o) => ({ ...o, file_name: 'a.csv' })));
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
