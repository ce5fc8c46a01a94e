// SPEC §1/§5: near-real-time runs on file arrival. `dstats watch` takes a dropped file within
// seconds: with file events in this process (DATABASE_URL only), with the periodic rescan alone
// (`--no-events`, for network shares that send no events), and through the queues to a
// `dstats worker` process.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import { cleanup, deletePrefixKeys, dropFiles, killStarted, startDstats, startWorker, submissions, waitFor, type DropFile, type Proc } from '../helpers/faults.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

const WATCHING = /dstats watch \d+:/;

describe('dstats watch', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let env: Record<string, string>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('faults-watch');
    env = { DATABASE_URL: tdb.url, DSTATS_ROOT: root.dir, DSTATS_SETTLE_MS: '500' };
    expect((await runCli(['catalog', 'sync'], env)).code).toBe(0);
    // A deployment's inbox exists before the watcher starts (the events of an inbox created later
    // are not seen: only the periodic rescan finds its files).
    await mkdir(path.join(root.dir, 'inbox'));
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
  });
  // A watcher left running by a failed test would take the next test's file from the shared inbox.
  afterEach(() => killStarted());
  afterAll(() => cleanup(() => killStarted(), () => database?.close(), () => tdb?.drop(), () => root?.remove()));

  const report = (source: string, value: number): DropFile => ({
    source,
    name: `bao-cao-${source}-2022S1.csv`,
    content: `Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;${value}\n`,
  });

  /** Drops the file and returns how long it took until it was loaded. */
  async function dropAndTime(file: DropFile, watch: Proc): Promise<number> {
    const dropped = Date.now();
    await dropFiles(root.dir, [file]);
    await waitFor(`${file.name} loaded`, async () => (await submissions(database)).some((s) => s.file_name === file.name && s.state === 'loaded'), 20_000, 100).catch((error: Error) => {
      throw new Error(`${error.message}\n--- dstats watch output:\n${watch.output().slice(-3000)}`);
    });
    return Date.now() - dropped;
  }

  it('in this process (DATABASE_URL only): a file in a new source folder is loaded within seconds', async () => {
    const watch = await startDstats(['watch'], env, WATCHING);
    expect(watch.stdout()).toContain('file events and a rescan every 60 s');
    expect(watch.stdout()).toContain('in this process');
    expect(await dropAndTime(report('05458', 11), watch)).toBeLessThan(10_000);
    expect((await watch.stop('SIGTERM')).code, watch.output().slice(-2000)).toBe(0);
  });

  it('a new source folder starts a pass of its own (chokidar can miss a file written into it at once)', async () => {
    const watch = await startDstats(['watch'], env, WATCHING);
    await watch.waitForOutput('"reason":"start"', 10_000);
    await mkdir(path.join(root.dir, 'inbox', '05467'));
    await watch.waitForOutput('"reason":"file event"', 10_000);
    expect((await watch.stop('SIGTERM')).code, watch.output().slice(-2000)).toBe(0);
  });

  it('--no-events --rescan 1 (a network share): the rescan alone takes the file within seconds', async () => {
    const watch = await startDstats(['watch', '--no-events', '--rescan', '1'], env, WATCHING);
    expect(watch.stdout()).toContain('a rescan every 1 s');
    expect(watch.stdout()).not.toContain('file events');
    expect(await dropAndTime(report('05461', 12), watch)).toBeLessThan(10_000);
    expect((await watch.stop('SIGTERM')).code, watch.output().slice(-2000)).toBe(0);
  });

  it('through the queues: the watcher enqueues, a worker process loads', async () => {
    const queued = { ...env, REDIS_URL: serverUrls().redisUrl, DSTATS_QUEUE_PREFIX: testQueuePrefix() };
    const worker = await startWorker(queued);
    const watch = await startDstats(['watch'], queued, WATCHING);
    expect(watch.stdout()).toContain('through the queues');
    expect(await dropAndTime(report('05464', 13), worker)).toBeLessThan(10_000);
    await worker.waitForOutput('submission loaded', 10_000); // the work happened in the worker process
    expect((await watch.stop('SIGTERM')).code, watch.output().slice(-2000)).toBe(0);
    expect((await worker.stop('SIGTERM')).code, worker.output().slice(-2000)).toBe(0);
    await deletePrefixKeys(queued.REDIS_URL, queued.DSTATS_QUEUE_PREFIX);
  });
});
