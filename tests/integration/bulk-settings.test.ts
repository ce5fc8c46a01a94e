// Bulk loads and rollups change planner settings for their own transaction only (src/db/bulk-settings.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { applyBulkSettings, BULK_ROWS } from '../../src/db/bulk-settings.js';
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
