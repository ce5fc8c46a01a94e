import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { openDatabase } from '../../src/db/connect.js';
import { listMigrations, migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';

describe('migrations', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => tdb.drop());

  it('apply every file once, and nothing the second time', async () => {
    const files = await listMigrations();
    const database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    try {
      const first = await migrate(database);
      expect(first.applied).toEqual(files.map((f) => f.name));
      const second = await migrate(database);
      expect(second.applied).toEqual([]);
      expect(second.alreadyApplied).toBe(files.length);
    } finally {
      await database.close();
    }
  });

  it('two processes migrating one fresh database at once apply each migration exactly once', async () => {
    const fresh = await createTestDatabase();
    const a = await openDatabase({ databaseUrl: fresh.url, embeddedDir: '/nonexistent' });
    const b = await openDatabase({ databaseUrl: fresh.url, embeddedDir: '/nonexistent' });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const files = await listMigrations();
      expect([...ra.applied, ...rb.applied].sort()).toEqual(files.map((f) => f.name));
      const rows = await a.db.selectFrom('public.dstats_migration').select('name').execute();
      expect(rows).toHaveLength(files.length);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });

  it('an upgrade to 023 marks the years of weighted means for a rebuild, detached years included', async () => {
    const upgraded = await createTestDatabase();
    const before = await tempDir('migrations-022');
    const database = await openDatabase({ databaseUrl: upgraded.url, embeddedDir: '/nonexistent' });
    try {
      for (const name of (await readdir(MIGRATIONS_DIR)).filter((n) => n < '023')) {
        await cp(path.join(MIGRATIONS_DIR, name), path.join(before.dir, name));
      }
      await migrate(database, before.dir);
      await syncCatalog(database, await readCatalog());
      // A city's rate rolled up before 023 (no weight), and a year an operator took out.
      await sql`SELECT core.ensure_year_partitions(ARRAY[2019, 2001])`.execute(database.db);
      await sql`INSERT INTO core.aggregate_value (unit_key, indicator_code, period_code, series, value, status, reporting_units, expected_units, computed_at)
                SELECT unit_key, 'POOR_HOUSEHOLD_RATE', '2019', 'actual', 1.8, 'official', 2, 32, now() FROM core.unit WHERE code = '164'`.execute(database.db);
      await sql`ALTER TABLE core.aggregate_value DETACH PARTITION core.aggregate_value_y2001`.execute(database.db);

      expect((await migrate(database)).applied[0]).toBe('023_weighted_mean_weight.sql');
      const marks = await database.db.selectFrom('core.rollup_rebuild').select(['year', 'indicator_codes']).execute();
      expect(marks).toEqual([{ year: 2019, indicator_codes: expect.arrayContaining(['POOR_HOUSEHOLD_RATE', 'EPAYMENT_ACCOUNT_RATE']) }]);
      await sql`ALTER TABLE core.aggregate_value ATTACH PARTITION core.aggregate_value_y2001 FOR VALUES FROM ('2001') TO ('2002')`.execute(database.db);
    } finally {
      await database.close();
      await before.remove();
      await upgraded.drop();
    }
  });

  it('the CLI migrates the embedded default twice without error', async () => {
    const root = await tempDir('migrate');
    try {
      const first = await runCli(['migrate', '--root', root.dir]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/embedded PGlite.*applied \d+ migration/);
      const second = await runCli(['migrate', '--root', root.dir]);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain('applied 0 migration(s)');
    } finally {
      await root.remove();
    }
  });
});
