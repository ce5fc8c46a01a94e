// docs/performance.md: BI tools can be moved to a Postgres read replica, where the mart works
// unchanged. A streaming hot standby of a private Postgres (the pipeline loads into the primary):
// dstats_bi logs in on the standby with the password set on the primary, reads every mart view,
// gets the same answers to the queries of docs/warehouse.md, and sees the next load once replayed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import type { StageContext } from '../../src/pipeline/context.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropSamples } from '../helpers/drop-root.js';
import { cleanup, privatePostgres, type PrivatePostgres } from '../helpers/faults.js';
import { preparedContext } from '../helpers/pipeline.js';
import { privateStandby, type PrivateStandby } from '../helpers/postgres-standby.js';
import { queryAt, tempDir, withUrlParts } from '../helpers/services.js';
import { warehouseDocQueries } from '../helpers/doc-sql.js';

const BI_PASSWORD = 'set-by-the-operator';

function asBi(url: string): pg.Client {
  return new pg.Client({ connectionString: withUrlParts(url, { username: 'dstats_bi', password: BI_PASSWORD }) });
}

describe('the mart on a streaming read replica', () => {
  let primary: PrivatePostgres;
  let standby: PrivateStandby;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let ctx: StageContext;
  let biPrimary: pg.Client;
  let biStandby: pg.Client;

  beforeAll(async () => {
    [primary, root] = await Promise.all([privatePostgres(), tempDir('bi-replica')]);
    ({ ctx, database } = await preparedContext({ databaseUrl: primary.url, root: root.dir }));
    await dropSamples(root.dir, ['05440', '164-NV', '164-TCKH']);
    await runInProcess(ctx);
    await queryAt(primary.url, `ALTER ROLE dstats_bi LOGIN PASSWORD '${BI_PASSWORD}'`);
    standby = await privateStandby(primary);
    await standby.caughtUp();
    biPrimary = asBi(primary.url);
    biStandby = asBi(standby.url);
    await Promise.all([biPrimary.connect(), biStandby.connect()]);
  }, 120_000);

  afterAll(() =>
    cleanup(
      () => biPrimary?.end(),
      () => biStandby?.end(),
      () => database?.close(),
      () => standby?.destroy(),
      () => primary?.destroy(),
      () => root?.remove(),
    ),
  );

  it('answers every query of docs/warehouse.md as the primary does, as dstats_bi with its planner settings', async () => {
    expect((await biStandby.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery')).rows).toEqual([{ recovery: true }]);
    expect((await biStandby.query('SHOW random_page_cost')).rows).toEqual([{ random_page_cost: '1.1' }]);
    const views = await biStandby.query<{ table_name: string }>("SELECT table_name FROM information_schema.views WHERE table_schema = 'mart' ORDER BY 1");
    expect(views.rows.length).toBeGreaterThanOrEqual(10);
    for (const { table_name } of views.rows) {
      const [onPrimary, onStandby] = await Promise.all([biPrimary, biStandby].map((c) => c.query(`SELECT count(*)::int AS n FROM mart.${table_name}`)));
      expect(onStandby!.rows, table_name).toEqual(onPrimary!.rows);
    }
    const queries = await warehouseDocQueries();
    expect(queries.length).toBeGreaterThanOrEqual(6);
    let rows = 0;
    for (const query of queries) {
      const [onPrimary, onStandby] = await Promise.all([biPrimary.query(query), biStandby.query(query)]);
      expect(onStandby.rows, query.split('\n')[0]).toEqual(onPrimary.rows);
      rows += onStandby.rows.length;
    }
    expect(rows).toBeGreaterThan(0);
  });

  it('shows the next load once it is replayed', async () => {
    const par = "SELECT value FROM mart.fact_value WHERE unit_code = '164' AND indicator_code = 'PAR_INDEX_SCORE' AND period_code = '2022'";
    expect((await biStandby.query(par)).rows).toEqual([{ value: '86.42' }]);
    await dropSamples(root.dir, ['164-VHTT']);
    await runInProcess(ctx);
    await standby.caughtUp();
    const digital = "SELECT count(*)::int AS n FROM mart.fact_value f JOIN mart.submissions s ON s.submission_id = f.submission_id WHERE s.source_id = '164-VHTT'";
    const [onPrimary, onStandby] = await Promise.all([biPrimary.query(digital), biStandby.query(digital)]);
    expect(onPrimary.rows[0].n).toBeGreaterThan(0);
    expect(onStandby.rows).toEqual(onPrimary.rows);
  });
});
