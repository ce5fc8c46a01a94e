// Bulk loads and rollups change planner settings for their own transaction only (src/db/bulk-settings.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { applyBulkSettings, BULK_ROWS, withoutMergeJoins } from '../../src/db/bulk-settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('applyBulkSettings', () => {
  let tdb: TestDatabase;
  let database: Database;
  const settings = async (db: Database['db']) =>
    (await sql<{ work_mem: string; memoize: string; random_page_cost: string }>`
      SELECT current_setting('work_mem') AS work_mem, current_setting('enable_memoize') AS memoize,
             current_setting('random_page_cost') AS random_page_cost`.execute(db)).rows[0]!;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  it('gives a bulk transaction the configured memory, cheaper index pages and no Memoize, and leaves small ones and later sessions as they were', async () => {
    const serverDefault = await settings(database.db);
    expect(serverDefault.memoize).toBe('on');
    const inside = await database.db.transaction().execute(async (trx) => {
      await applyBulkSettings(trx, BULK_ROWS, '96MB');
      return settings(trx);
    });
    expect(inside).toEqual({ work_mem: '96MB', memoize: 'off', random_page_cost: '1.1' });
    const small = await database.db.transaction().execute(async (trx) => {
      await applyBulkSettings(trx, BULK_ROWS - 1, '96MB');
      return settings(trx);
    });
    expect(small).toEqual(serverDefault);
    expect(await settings(database.db)).toEqual(serverDefault);
  });
});

describe('withoutMergeJoins', () => {
  let tdb: TestDatabase;
  let database: Database;
  const mergeJoins = async (db: Database['db']) =>
    (await sql<{ on: string }>`SELECT current_setting('enable_mergejoin') AS on`.execute(db)).rows[0]!.on;
  // A join in key order of two indexed tables: merged while the planner may.
  const joinPlan = async (db: Database['db']) =>
    (await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT a.k FROM sorted_a a JOIN sorted_b b ON a.k = b.k ORDER BY a.k`.execute(db)).rows
      .map((r) => r['QUERY PLAN']).join('\n');

  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    await sql`CREATE TABLE sorted_a AS SELECT g AS k FROM generate_series(1, 100000) g`.execute(database.db);
    await sql`CREATE TABLE sorted_b AS SELECT g AS k FROM generate_series(1, 100000) g`.execute(database.db);
    await sql`CREATE INDEX ON sorted_a (k)`.execute(database.db);
    await sql`CREATE INDEX ON sorted_b (k)`.execute(database.db);
    await sql`ANALYZE sorted_a, sorted_b`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  it('plans the one statement it runs without merge joins, and puts the setting back for the rest of the transaction', async () => {
    expect(await joinPlan(database.db)).toContain('Merge Join');
    const { during, after } = await database.db.transaction().execute(async (trx) => {
      const during = await withoutMergeJoins(trx, () => joinPlan(trx));
      return { during, after: { setting: await mergeJoins(trx), plan: await joinPlan(trx) } };
    });
    expect(during).not.toContain('Merge Join');
    expect(during).toContain('Hash Join');
    expect(after.setting).toBe('on');
    expect(after.plan).toContain('Merge Join');
  });

  it('leaves nothing behind when the statement fails: the transaction rolls back with the setting', async () => {
    await expect(database.db.transaction().execute(async (trx) =>
      withoutMergeJoins(trx, () => sql`SELECT 1 / 0`.execute(trx)))).rejects.toThrow(/division by zero/);
    expect(await mergeJoins(database.db)).toBe('on');
  });
});
