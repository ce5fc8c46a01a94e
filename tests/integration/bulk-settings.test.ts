// Bulk loads and rollups change planner settings for their own transaction only (src/db/bulk-settings.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { applyBulkSettings, BULK_ROWS, withHashJoinsOnly } from '../../src/db/bulk-settings.js';
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

describe('withHashJoinsOnly', () => {
  let tdb: TestDatabase;
  let database: Database;
  const joinSettings = async (db: Database['db']) =>
    (await sql<{ merge: string; nested: string }>`
      SELECT current_setting('enable_mergejoin') AS merge, current_setting('enable_nestloop') AS nested`.execute(db)).rows[0]!;
  const plan = async (db: Database['db'], query: ReturnType<typeof sql>) =>
    (await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(db)).rows.map((r) => r['QUERY PLAN']).join('\n');
  // A join in key order of two indexed tables, merged while the planner may; and a few rows
  // looked up by index, a nested loop while it may.
  const mergedPlan = (db: Database['db']) => plan(db, sql`SELECT a.k FROM sorted_a a JOIN sorted_b b ON a.k = b.k ORDER BY a.k`);
  const lookupPlan = (db: Database['db']) => plan(db, sql`SELECT a.k FROM sorted_a a JOIN sorted_b b ON a.k = b.k WHERE a.k < 10`);

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

  it('plans the statement it runs with hash joins only, and puts the settings back for the rest of the transaction', async () => {
    expect(await mergedPlan(database.db)).toContain('Merge Join');
    expect(await lookupPlan(database.db)).toContain('Nested Loop');
    const { during, after } = await database.db.transaction().execute(async (trx) => {
      const during = await withHashJoinsOnly(trx, async () => [await mergedPlan(trx), await lookupPlan(trx)]);
      return { during, after: { settings: await joinSettings(trx), merged: await mergedPlan(trx), lookup: await lookupPlan(trx) } };
    });
    for (const hashed of during) {
      expect(hashed).toContain('Hash Join');
      expect(hashed).not.toMatch(/Merge Join|Nested Loop/);
    }
    expect(after.settings).toEqual({ merge: 'on', nested: 'on' });
    expect(after.merged).toContain('Merge Join');
    expect(after.lookup).toContain('Nested Loop');
  });

  it('leaves nothing behind when the statement fails: the transaction rolls back with the setting', async () => {
    await expect(database.db.transaction().execute(async (trx) =>
      withHashJoinsOnly(trx, () => sql`SELECT 1 / 0`.execute(trx)))).rejects.toThrow(/division by zero/);
    expect(await joinSettings(database.db)).toEqual({ merge: 'on', nested: 'on' });
  });
});
