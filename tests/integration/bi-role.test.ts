// The read-only role dstats_bi: it can read mart and nothing else. The tests log in as it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropSamples } from '../helpers/drop-root.js';
import { preparedContext } from '../helpers/pipeline.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';

describe('the dstats_bi role', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let bi: pg.Client;

  // 42501 insufficient_privilege; 55000 for a view that cannot be written at all.
  const denied = async (statement: string, codes = ['42501']) => {
    const error = await bi.query(statement).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(error, statement).not.toBeNull();
    expect(codes, `${statement}: ${error!.message}`).toContain(error!.code);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('bi');
    const prepared = await preparedContext({ databaseUrl: tdb.url, root: root.dir });
    database = prepared.database;
    await dropSamples(root.dir, ['164-NV', '164-TCKH']);
    await runInProcess(prepared.ctx);
    // What an operator does once; the password is set outside the repository.
    const admin = new pg.Client({ connectionString: tdb.url });
    await admin.connect();
    await admin.query("ALTER ROLE dstats_bi LOGIN PASSWORD 'set-by-the-operator'");
    await admin.end();
    const url = new URL(tdb.url);
    url.username = 'dstats_bi';
    url.password = 'set-by-the-operator';
    bi = new pg.Client({ connectionString: url.toString() });
    await bi.connect();
  });
  afterAll(async () => {
    await bi.end();
    await database.close();
    await tdb.drop();
    await root.remove();
  });

  it('reads every mart view', async () => {
    const views = await bi.query<{ table_name: string }>("SELECT table_name FROM information_schema.views WHERE table_schema = 'mart' ORDER BY 1");
    expect(views.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['fact_value', 'dim_unit', 'dim_indicator', 'dim_period', 'submissions', 'growth', 'plan_progress', 'target_progress', 'completeness', 'observation_history']),
    );
    for (const { table_name } of views.rows) await bi.query(`SELECT * FROM mart.${table_name} LIMIT 1`);
    const par = await bi.query("SELECT value FROM mart.fact_value WHERE unit_code = '164' AND indicator_code = 'PAR_INDEX_SCORE' AND period_code = '2022'");
    expect(par.rows).toEqual([{ value: '86.42' }]);
  });

  it('plans for a cached warehouse without parallel workers (set on the role by the migrations)', async () => {
    expect((await bi.query('SHOW random_page_cost')).rows).toEqual([{ random_page_cost: '1.1' }]);
    expect((await bi.query('SHOW max_parallel_workers_per_gather')).rows).toEqual([{ max_parallel_workers_per_gather: '0' }]);
  });

  it('cannot read raw, staging or catalogue tables', async () => {
    for (const table of ['core.observation', 'core.staged_value', 'core.current_value', 'core.submission', 'core.unit', 'core.indicator', 'public.dstats_migration']) {
      await denied(`SELECT * FROM ${table} LIMIT 1`);
    }
  });

  it('cannot write anything: not through the views, not the catalogue, not a table or temp table of its own', async () => {
    await denied("DELETE FROM mart.fact_value WHERE unit_code = '164'", ['42501', '55000']);
    await denied("UPDATE mart.dim_indicator SET name_en = 'x'");
    await denied("INSERT INTO core.indicator (code) VALUES ('X')");
    await denied('CREATE TABLE public.scratch (x int)');
    await denied('CREATE TEMP TABLE scratch (x int)');
    await denied('CREATE SCHEMA scratch');
  });

  it('has no dstats function to call that writes', async () => {
    const functions = await bi.query(
      "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('mart', 'core', 'public') AND has_function_privilege(p.oid, 'EXECUTE')",
    );
    expect(functions.rows).toEqual([]);
    await denied('SELECT core.ensure_year_partitions(ARRAY[2031])');
  });
});
