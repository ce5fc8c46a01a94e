import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';
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
