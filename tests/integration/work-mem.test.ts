// Bulk loads and rollups raise work_mem for their own transaction only (src/db/work-mem.ts).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { BULK_ROWS, raiseWorkMemIfBulk } from '../../src/db/work-mem.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('raiseWorkMemIfBulk', () => {
  let tdb: TestDatabase;
  let database: Database;
  const workMem = async (db: Database['db']) => (await sql<{ work_mem: string }>`SHOW work_mem`.execute(db)).rows[0]!.work_mem;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  it('gives a bulk transaction the configured memory and leaves small ones and later sessions as they were', async () => {
    const serverDefault = await workMem(database.db);
    const inside = await database.db.transaction().execute(async (trx) => {
      await raiseWorkMemIfBulk(trx, BULK_ROWS, '96MB');
      return workMem(trx);
    });
    expect(inside).toBe('96MB');
    const small = await database.db.transaction().execute(async (trx) => {
      await raiseWorkMemIfBulk(trx, BULK_ROWS - 1, '96MB');
      return workMem(trx);
    });
    expect(small).toBe(serverDefault);
    expect(await workMem(database.db)).toBe(serverDefault);
  });
});
