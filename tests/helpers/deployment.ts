// A deployment of its own for a fault test: a database, a drop root and a queue prefix, on the
// shared Redis or a private one, with workers set up for faults (FAULT_ENV: short job locks, a
// bounded rollup wait), and everything torn down afterwards.
import { afterAll, beforeAll, expect } from 'vitest';
import { redisConnection } from '../../jobs/connection.js';
import { closeQueues, createQueues, type Queues } from '../../jobs/queues.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli } from './cli.js';
import {
  cleanup,
  deletePrefixKeys,
  expectEachFileOnce,
  expectSameMart,
  FAULT_ENV,
  killStarted,
  martSnapshot,
  startWorker,
  waitUntilQuiet,
  type CleanRun,
  type DropFile,
  type Proc,
} from './faults.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from './services.js';

export interface Deployment {
  /** The database made for it on the shared server; none on a private Postgres. */
  tdb?: TestDatabase;
  root: Awaited<ReturnType<typeof tempDir>>;
  database: Database;
  prefix: string;
  env: Record<string, string>;
  queues: Queues;
  connection: ReturnType<typeof redisConnection>;
  workers: Proc[];
}

/**
 * `databaseUrl` and `redisUrl` are read once the earlier hooks ran. `databaseUrl`: a database of a
 * private Postgres (else one of its own on the shared server). `redisUrl`: a private Redis, or
 * with `cluster` nodes of a private Redis Cluster, whose `prefix` must then be hash-tagged.
 */
export function useDeployment(
  label: string,
  options: { databaseUrl?: () => string; redisUrl?: () => string; cluster?: boolean; prefix?: string; workers?: number } = {},
): Deployment {
  const redisUrl = options.redisUrl ?? (() => serverUrls().redisUrl);
  const cluster = options.cluster ?? false;
  const d = { workers: [] as Proc[] } as Deployment;
  beforeAll(async () => {
    if (!options.databaseUrl) d.tdb = await createTestDatabase();
    const databaseUrl = options.databaseUrl?.() ?? d.tdb!.url;
    d.root = await tempDir(label);
    d.prefix = options.prefix ?? testQueuePrefix();
    d.env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl(),
      ...(cluster ? { DSTATS_REDIS_CLUSTER: 'true' } : {}),
      DSTATS_QUEUE_PREFIX: d.prefix,
      DSTATS_ROOT: d.root.dir,
      ...FAULT_ENV,
    };
    expect((await runCli(['catalog', 'sync'], d.env)).code).toBe(0);
    d.database = await openDatabase({ databaseUrl, embeddedDir: '/nonexistent' });
    d.connection = redisConnection({ url: redisUrl(), cluster });
    d.queues = createQueues(d.connection, d.prefix);
    // This process's own connection sees a Redis outage too; the workers' logs are what matters.
    d.connection.on('error', () => undefined);
    for (const q of Object.values(d.queues)) q.on('error', () => undefined);
    d.workers = await Promise.all(Array.from({ length: options.workers ?? 0 }, () => startWorker(d.env)));
  });
  afterAll(() =>
    cleanup(
      () => killStarted(),
      () => d.queues && closeQueues(d.queues),
      () => d.connection?.disconnect(),
      () => d.database?.close(),
      () => d.tdb?.drop(),
      () => d.root?.remove(),
      // On the shared Redis, leave nothing behind (a private one is stopped by its test).
      () => d.prefix && redisUrl() === serverUrls().redisUrl && deletePrefixKeys(serverUrls().redisUrl, d.prefix),
    ),
  );
  return d;
}

/**
 * After a fault: one more `dstats run --no-workers` (the deployment's workers do the work), then
 * every file loaded once or rejected as in a clean run, and the mart equal to that run's.
 */
export async function expectRecoveredByRun(d: Deployment, files: DropFile[], clean: () => Promise<CleanRun>): Promise<void> {
  const run = await runCli(['run', '--no-workers'], d.env);
  expect(run.code, run.stderr).toBeLessThanOrEqual(1);
  // A job that was in flight during the fault may still be finishing in its worker.
  await waitUntilQuiet('every submission finished', d.database, d.queues);
  const reference = await clean();
  expect(await expectEachFileOnce(d.database, d.root.dir, files)).toEqual(reference.states);
  expectSameMart(await martSnapshot(d.database), reference.mart);
}
