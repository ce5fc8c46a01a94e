// Several `dstats worker` processes share one Redis and one Postgres: `dstats run --no-workers`
// only enqueues, the worker processes do the work (all stages, or the ones `--queues` names), and
// SIGTERM stops them cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import { dropSamples } from '../helpers/drop-root.js';
import { useDeployment } from '../helpers/deployment.js';
import { killStarted, startWorker, type Proc } from '../helpers/faults.js';
import { expectCityFiguresOfTwoSamples } from '../helpers/pipeline.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

describe('worker processes', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let env: Record<string, string>;
  const workers: Proc[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('workers');
    env = { DATABASE_URL: tdb.url, REDIS_URL: serverUrls().redisUrl, DSTATS_QUEUE_PREFIX: testQueuePrefix(), DSTATS_ROOT: root.dir };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    expect((await runCli(['catalog', 'sync'], env)).code).toBe(0);
    workers.push(await startWorker(env), await startWorker(env));
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
  });
  afterAll(async () => {
    await killStarted();
    await database.close();
    await tdb.drop();
    await root.remove();
  });

  it('run --no-workers enqueues and the worker processes load the files', async () => {
    await dropSamples(root.dir, ['164-NV', '164-TCKH']);
    const run = await runCli(['run', '--no-workers'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('queues on Redis');
    expect(run.stdout).toContain('Files loaded: 2');
    await expectCityFiguresOfTwoSamples(database);
    // The work happened in the worker processes (their logs name the submissions).
    expect(workers.map((w) => w.output()).join('')).toContain('submission loaded');
  });

  it('SIGTERM drains and exits 0', async () => {
    for (const w of workers) {
      expect((await w.stop('SIGTERM')).code).toBe(0);
      expect(w.output()).toContain('worker stopped');
    }
  });
});

// docs/performance.md's first step when one machine is not enough: workers on more hosts, with
// `--queues` to keep the parsing on some and the database work on others.
describe('worker processes split by stage (--queues)', () => {
  const d = useDeployment('workers-split');

  it('one serves the file stages up to normalise, the other load, rollup and publish; each does only its own', async () => {
    const parsing = await startWorker(d.env, ['--queues', 'scan,intake,normalise']);
    const loading = await startWorker(d.env, ['--queues', 'load,rollup,publish']);
    await dropSamples(d.root.dir, ['164-NV', '164-TCKH']);
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Files loaded: 2');
    await expectCityFiguresOfTwoSamples(d.database);
    expect(parsing.output()).toContain('submission staged');
    expect(parsing.output()).not.toMatch(/submission loaded|rollup done/);
    expect(loading.output()).toMatch(/submission loaded[\s\S]*rollup done/);
    expect(loading.output()).not.toMatch(/submission registered|submission staged/);
  });

  it('refuses a stage it does not know, naming the known ones (exit 2)', async () => {
    const result = await runCli(['worker', '--queues', 'normalise,parse'], d.env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('unknown queue(s): parse; known: scan, intake, normalise, load, rollup, publish');
  });
});
