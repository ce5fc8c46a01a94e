// docs/operations.md, "Backups": a `pg_dump -Fc` of the dstats database restored onto another
// server, as printed there (the role first, then `pg_restore --create`), without an error. The
// restored warehouse is the same, BI keeps its grants and settings, `dstats migrate` finds nothing
// to do, and the next file loads, its ids carrying on after the restored ones.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { runCli } from '../helpers/cli.js';
import { dropSamples } from '../helpers/drop-root.js';
import { cleanup, PG_BIN, privatePostgres, type PrivatePostgres } from '../helpers/faults.js';
import { preparedContext } from '../helpers/pipeline.js';
import { createTestDatabase, queryAt, tempDir, withUrlParts, type TestDatabase } from '../helpers/services.js';

const run = promisify(execFile);

const MART = "SELECT unit_code, indicator_code, period_code, series, value::text, status FROM mart.fact_value ORDER BY 1, 2, 3, 4";

describe('a backup restored onto another server', () => {
  let source: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let other: PrivatePostgres;
  let restoredUrl: string;
  let restore: { stdout: string; stderr: string };

  beforeAll(async () => {
    [source, root, other] = await Promise.all([createTestDatabase(), tempDir('backup'), privatePostgres()]);
    const prepared = await preparedContext({ databaseUrl: source.url, root: root.dir });
    database = prepared.database;
    await dropSamples(root.dir, ['05440', '164-NV', '164-TCKH']);
    await runInProcess(prepared.ctx);
    const dump = path.join(root.dir, 'dstats.dump');
    await run(`${PG_BIN}/pg_dump`, ['-Fc', '-f', dump, source.url]);
    await queryAt(other.url, 'CREATE ROLE dstats_bi NOLOGIN');
    restore = await run(`${PG_BIN}/pg_restore`, ['--create', '-d', other.url, dump]);
    restoredUrl = withUrlParts(other.url, { pathname: `/${source.name}` });
  }, 120_000);

  afterAll(() =>
    cleanup(
      () => database?.close(),
      () => source?.drop(),
      () => other?.destroy(),
      () => root?.remove(),
    ),
  );

  it('restores without an error, and dstats migrate finds every migration applied', async () => {
    expect(restore.stderr).toBe('');
    const migrate = await runCli(['migrate'], { DATABASE_URL: restoredUrl });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/applied 0 migration\(s\); \d+ already applied/);
  });

  it('holds the same warehouse, which dstats_bi reads with its settings once its password is set again', async () => {
    const original = await queryAt(source.url, MART);
    expect(original.length).toBeGreaterThan(0);
    expect(await queryAt(restoredUrl, MART)).toEqual(original);
    await queryAt(restoredUrl, "ALTER ROLE dstats_bi LOGIN PASSWORD 'set-again'");
    const bi = withUrlParts(restoredUrl, { username: 'dstats_bi', password: 'set-again' });
    expect(await queryAt(bi, 'SHOW jit')).toEqual([{ jit: 'off' }]);
    expect(await queryAt(bi, 'SHOW random_page_cost')).toEqual([{ random_page_cost: '1.1' }]);
    expect(await queryAt(bi, MART)).toEqual(original);
  });

  it('loads the next file, its observation ids after the restored ones', async () => {
    const [before] = await queryAt<{ last: string }>(restoredUrl, 'SELECT max(observation_id)::text AS last FROM core.observation');
    await dropSamples(root.dir, ['164-VHTT']);
    const next = await runCli(['run', '--root', root.dir], { DATABASE_URL: restoredUrl });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('Files loaded: 1');
    const [after] = await queryAt<{ first: string; n: number }>(
      restoredUrl,
      `SELECT min(o.observation_id)::text AS first, count(*)::int AS n FROM core.observation o
       JOIN core.submission s USING (submission_id) WHERE s.source_id = '164-VHTT'`,
    );
    expect(after!.n).toBeGreaterThan(0);
    expect(BigInt(after!.first)).toBeGreaterThan(BigInt(before!.last));
  });
});
