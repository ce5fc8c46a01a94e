// SPEC §5/§9: Postgres restarted while a worker is loading a large file. A private cluster (initdb
// as the postgres OS user, its own port) is stopped with `pg_ctl stop -m immediate` (every backend
// killed, as in a crash or failover) in the middle of the load transaction and started again. The
// transaction is rolled back whole (never a partial submission), the job is retried, and after
// recovery every file is loaded exactly once and the mart equals a clean run.
import { jobOf } from '../helpers/jobs.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../jobs/connection.js';
import { closeQueues, createQueues, pendingJobs, type Queues } from '../../jobs/queues.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import {
  cleanRun,
  dropFiles,
  dropRootState,
  expectEachFileOnce,
  expectSameMart,
  FAULT_SAMPLES,
  killStarted,
  largeSubmission,
  martSnapshot,
  privatePostgres,
  sampleFiles,
  waitUntilQuiet,
  startWorker,
  submissions,
  waitFor,
  waitForStageOf,
  type CleanRun,
  type DropFile,
  type PrivatePostgres,
  type Proc,
  cleanup,
  deletePrefixKeys,
  FAULT_ENV,
} from '../helpers/faults.js';
import { serverUrls, tempDir, testQueuePrefix } from '../helpers/services.js';

describe('Postgres restarted mid-load', () => {
  let pg: PrivatePostgres;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let env: Record<string, string>;
  let queues: Queues;
  let connection: ReturnType<typeof redisConnection>;
  let worker: Proc;
  let clean: Promise<CleanRun>;
  const files: DropFile[] = [];
  const large = largeSubmission({ rows: 200_000, values: 40_000 });

  beforeAll(async () => {
    files.push(...(await sampleFiles(FAULT_SAMPLES)), large);
    clean = cleanRun(files);
    clean.catch(() => undefined); // awaited below
    pg = await privatePostgres();
    root = await tempDir('faults-postgres');
    const prefix = testQueuePrefix();
    env = { DATABASE_URL: pg.url, REDIS_URL: serverUrls().redisUrl, DSTATS_QUEUE_PREFIX: prefix, DSTATS_ROOT: root.dir, ...FAULT_ENV };
    const sync = await runCli(['catalog', 'sync'], env);
    expect(sync.code, sync.stderr).toBe(0);
    database = await openDatabase({ databaseUrl: pg.url, embeddedDir: '/nonexistent' });
    connection = redisConnection({ url: serverUrls().redisUrl, cluster: false });
    queues = createQueues(connection, prefix);
  });
  afterAll(() =>
    cleanup(
      () => killStarted(),
      () => clean?.catch(() => undefined),
      () => queues && closeQueues(queues),
      () => connection?.disconnect(),
      () => database?.close(),
      () => pg?.destroy(),
      () => root?.remove(),
      () => env && deletePrefixKeys(serverUrls().redisUrl, env.DSTATS_QUEUE_PREFIX!),
    ),
  );

  it('the load transaction is rolled back whole and the job retries in the same worker', async () => {
    worker = await startWorker(env);
    await dropFiles(root.dir, files);
    await queues.scan.add('scan', { reason: 'test' });
    const big = await waitForStageOf(database, large.name, 'load');
    // The job in flight; its retry finds the (unlogged) staging emptied and hands the file back to
    // normalise, whose new load job may well be done before we look again.
    const load = (await jobOf(queues.load, big.submission_id))!;
    await pg.crash();
    await sleep(500);
    await pg.start();

    // Never a partial submission: no observation of it, and either still staged or, when the
    // retried job was quicker than this check, handed back to normalise ('received') because the
    // crash emptied the unlogged staging.
    const after = (await submissions(database)).find((s) => s.submission_id === big.submission_id)!;
    const { n } = await database.db.selectFrom('core.observation').select((eb) => eb.fn.countAll<string>().as('n')).where('submission_id', '=', big.submission_id).executeTakeFirstOrThrow();
    expect(n).toBe('0');
    expect(['staged', 'received']).toContain(after.state);

    await sleep(1000);
    expect(worker.running(), worker.output().slice(-2000)).toBe(true);
    await waitFor('the retried load', async () => (await load.getState()) === 'completed', 30_000, 200);
    expect((await queues.load.getJob(load.id!))!.attemptsMade).toBeGreaterThanOrEqual(2);
  });

  it('after the restart (and a worker restarted by its supervisor) every file ends loaded or rejected, once', async () => {
    if (!worker.running()) worker = await startWorker(env);
    const run = await runCli(['run', '--no-workers'], env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    await waitUntilQuiet('every submission finished', database, queues);
    const states = await expectEachFileOnce(database, root.dir, files);
    expect(Object.keys(states).sort()).toEqual(Object.keys((await clean).states).sort());
  });

  it('the values and the mart equal a clean run of the same files', async () => {
    const states = await expectEachFileOnce(database, root.dir, files);
    const reference = await clean;
    expect(states).toEqual(reference.states);
    expectSameMart(await martSnapshot(database), reference.mart);
  });

  it('a file taken in while Postgres is down is loaded once it is back', async () => {
    const late: DropFile = { source: '05452', name: 'bao-cao-2023S1.csv', content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2023S1;31\nCCTV_CAMERAS;2023S1;4\n' };
    await dropFiles(root.dir, [late]);
    // The scan runs while Postgres is up; its intake job waits (queue paused) until Postgres is down.
    await queues.intake.pause();
    await queues.scan.add('scan', { reason: 'test' });
    await waitFor('the intake job', async () => (await queues.intake.count()) > 0);
    await pg.crash();
    await queues.intake.resume();
    await waitFor('the intake to fail against the stopped database', async () => (await queues.intake.getJobs(['delayed', 'failed'])).some((j) => j.data.fileName === late.name), 20_000, 100);
    await pg.start();
    await waitFor('the intake job to finish', async () => (await pendingJobs(queues)) === 0, 30_000, 200);
    const run = await runCli(['run', '--no-workers'], env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);

    const sub = (await submissions(database)).find((s) => s.file_name === late.name);
    const left = await dropRootState(root.dir);
    expect({ state: sub?.state, work: left.work }).toEqual({ state: 'loaded', work: [] });
  });
});
