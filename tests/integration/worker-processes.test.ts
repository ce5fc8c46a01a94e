// Several `dstats worker` processes share one Redis and one Postgres: `dstats run --no-workers`
// only enqueues, the worker processes do the work, and SIGTERM stops them cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { BIN, runCli } from '../helpers/cli.js';
import { dropSamples } from '../helpers/drop-root.js';
import { expectCityFiguresOfTwoSamples } from '../helpers/pipeline.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', '2'], {
    env: { ...process.env, LOG_LEVEL: 'info', DSTATS_SETTLE_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${text}`)), 60_000);
    child.stdout!.on('data', () => {
      if (text.includes('serving')) {
        clearTimeout(timer);
        resolve({ child, output: () => text });
      }
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${text}`)));
  });
}

describe('worker processes', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let env: Record<string, string>;
  const workers: { child: ChildProcess; output: () => string }[] = [];

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
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
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
      const exited = once(w.child, 'exit');
      w.child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(w.output()).toContain('worker stopped');
    }
  });
});
