// SPEC §5 run model, worker processes: any number of `dstats worker` processes share the queues;
// a transient fault (the database connection dropped in the middle of a load) is retried with
// backoff; bad input is never retried; SIGTERM stops taking jobs and lets the job in flight finish,
// and whatever it did not start is picked up by the next worker. The mart ends equal to a clean
// run of the same files.
import { sql } from 'kysely';
import { jobOf } from '../helpers/jobs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queues } from '../../jobs/queues.js';
import type { Database } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import {
  activeQueries,
  cleanRun,
  cleanup,
  COPYING,
  dropFiles,
  expectEachFileOnce,
  expectSameMart,
  killStarted,
  largeSubmission,
  LOADING,
  martSnapshot,
  sampleFiles,
  waitUntilQuiet,
  startWorker,
  submissions,
  waitFor,
  waitForQuery,
  type CleanRun,
  type DropFile,
  type Proc,
  FAULT_SAMPLES,
} from '../helpers/faults.js';
import { useDeployment, type Deployment } from '../helpers/deployment.js';

describe('worker processes under faults', () => {
  // Job locks of 2 s, so a crashed worker's job comes back quickly. Every worker of a queue prefix
  // must use the same value: BullMQ lets one stalled-job check per queue run in each interval, so
  // a worker with a longer one holds off the others' checks.
  const d = useDeployment('faults-workers');
  let root: Deployment['root'];
  let database: Database;
  let env: Record<string, string>;
  let queues: Queues;
  let clean: Promise<CleanRun>;
  const workers: Proc[] = [];

  const samples: DropFile[] = [];
  const unsupported: DropFile = { source: '05446', name: 'bang-tong-hop.xlsx', content: 'PK\u0003\u0004 not a csv' };
  const transient: DropFile = {
    source: '05449',
    name: 'bao-cao-2022S1.csv',
    content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;57\nCCTV_CAMERAS;2022S1;9\nEID_ACCOUNTS;2022S1;12345\n',
  };
  const dropped: DropFile = { source: '05452', name: 'bao-cao-2022S1.csv', content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;41\nCCTV_CAMERAS;2022S1;7\n' };
  const large = largeSubmission({ rows: 200_000, values: 40_000 });
  const all = () => [...samples, unsupported, transient, dropped, large];

  beforeAll(async () => {
    samples.push(...(await sampleFiles(FAULT_SAMPLES)));
    clean = cleanRun(all());
    clean.catch(() => undefined); // awaited in the last test
    ({ root, database, env, queues } = d);
  });
  afterAll(() => cleanup(() => killStarted(), () => clean?.catch(() => undefined)));

  async function countOf(table: 'core.observation' | 'core.staged_value', submissionId: string): Promise<number> {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).where('submission_id', '=', submissionId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function submissionOf(name: string, source?: string) {
    return waitFor(`submission ${name}`, async () => (await submissions(database)).find((s) => s.file_name === name && (!source || s.source_id === source)));
  }

  it('three workers share the queues; bad input ends rejected in one attempt, never retried', async () => {
    workers.push(...(await Promise.all([startWorker(env), startWorker(env), startWorker(env)])));
    await dropFiles(root.dir, [...samples, unsupported]);
    const run = await runCli(['run', '--no-workers'], env);
    expect(run.code, run.stderr).toBe(1); // two files are rejected on purpose
    expect(run.stdout).toContain('queues on Redis');

    const byName = Object.fromEntries((await submissions(database)).map((s) => [s.file_name, s]));
    expect(byName['loi-dinh-dang.csv']!.state).toBe('rejected'); // every row has a different fault
    expect(byName['bang-tong-hop.xlsx']!.state).toBe('rejected'); // not a .csv or .txt
    for (const name of ['bao-cao-6-thang-2022.csv', 'cai-cach-hanh-chinh-2022.csv', 'thu-ngan-sach-2022S1.csv', 'chuyen-doi-so-202206.txt']) {
      expect(byName[name]!.state, name).toBe('loaded');
    }

    // The bad file went through normalise once: completed (not failed) in its first attempt.
    const normalise = await jobOf(queues.normalise, byName['loi-dinh-dang.csv']!.submission_id);
    expect(await normalise!.getState()).toBe('completed');
    expect(normalise!.attemptsMade).toBe(1);
    expect(normalise!.stacktrace).toEqual([]);
    expect(normalise!.returnvalue).toMatchObject({ outcome: 'rejected' });
    // The unsupported file was rejected by intake, also in one attempt.
    const intakes = await queues.intake.getJobs(['completed']);
    const intake = intakes.find((j) => j.data.fileName === 'bang-tong-hop.xlsx');
    expect(intake!.attemptsMade).toBe(1);
    expect(intake!.returnvalue).toMatchObject({ outcome: 'rejected' });
    for (const q of Object.values(queues)) expect((await q.getJobCounts('failed')).failed, `failed jobs in ${q.name}`).toBe(0);
  });

  it('SIGTERM finishes the job in flight and exits 0; the next worker carries on; nothing half-loaded', async () => {
    // One worker left, so the large file's normalise is certainly in that process.
    const [worker, ...others] = workers.splice(0);
    for (const w of others) expect((await w.stop('SIGTERM')).code).toBe(0);
    await dropFiles(root.dir, [large]);
    await queues.scan.add('scan', { reason: 'test' });
    await waitForQuery(database, COPYING); // normalise is streaming the 200 000 rows into staging
    const exit = await worker!.stop('SIGTERM');
    expect(exit.code, worker!.output().slice(-3000)).toBe(0);
    expect(worker!.output()).toContain('draining in-flight jobs');
    expect(worker!.output()).toContain('worker stopped');

    // The job in flight finished; nothing after it was taken. Staged whole or loaded whole.
    const sub = await submissionOf(large.name);
    expect(['staged', 'loaded']).toContain(sub.state);
    const observations = await countOf('core.observation', sub.submission_id);
    const staged = await countOf('core.staged_value', sub.submission_id);
    if (sub.state === 'staged') {
      expect({ observations, staged }).toEqual({ observations: 0, staged: 40_000 });
      expect((await queues.load.getJobCounts('wait')).wait).toBe(1); // left for the next worker
    } else {
      expect({ observations, staged }).toEqual({ observations: 40_000, staged: 0 });
    }

    const next = await startWorker(env);
    await waitUntilQuiet('the next worker to finish the file', database, queues);
    expect((await next.stop('SIGTERM')).code).toBe(0);
    expect(await countOf('core.observation', sub.submission_id)).toBe(40_000);
  });

  /**
   * Drops the file, lets its load block on a lock held here (inserts into core.observation wait),
   * then breaks the waiting statement: pg_cancel_backend (the statement fails, the connection
   * lives: a lock or statement timeout, a serialisation failure) or pg_terminate_backend (the
   * connection is gone: a network fault, a Postgres restart or failover). Returns when it broke.
   */
  async function breakLoadOf(file: DropFile, how: 'pg_cancel_backend' | 'pg_terminate_backend'): Promise<number> {
    let brokenAt = 0;
    await database.withSession(async (session) => {
      await session.query('BEGIN');
      await session.query('LOCK TABLE core.observation IN SHARE MODE');
      try {
        await dropFiles(root.dir, [file]);
        await queues.scan.add('scan', { reason: 'test' });
        const blocked = await waitFor('the load waiting on the lock', async () => (await activeQueries(database)).find((q) => LOADING.test(q.query) && q.wait_event_type === 'Lock'), 30_000, 20);
        brokenAt = Date.now();
        await sql`SELECT ${sql.raw(how)}(${blocked.pid}::int)`.execute(database.db);
      } finally {
        await session.query('ROLLBACK');
      }
    });
    return brokenAt;
  }

  /** The load job of a file once it completed, with its attempts. */
  async function completedLoadOf(name: string, source?: string) {
    const sub = await submissionOf(name, source);
    await waitFor(`the retried load of ${name}`, async () => (await jobOf(queues.load, sub.submission_id))?.finishedOn, 30_000, 100);
    const job = (await jobOf(queues.load, sub.submission_id))!;
    return { sub, job, state: await job.getState() };
  }

  it('a transient fault in the load (its statement cancelled) is retried after a backoff and loads once', async () => {
    const pair = await Promise.all([startWorker(env), startWorker(env)]);
    workers.push(...pair);
    const brokenAt = await breakLoadOf(transient, 'pg_cancel_backend');
    const { sub, job, state } = await completedLoadOf(transient.name, transient.source);
    expect(state).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(job.stacktrace).toHaveLength(1); // the failed first attempt
    expect(job.failedReason).toMatch(/cancel/i);
    // Exponential backoff: the second attempt started at least the first delay (1 s) later.
    expect(job.processedOn! - brokenAt).toBeGreaterThanOrEqual(900);
    expect(workers.map((w) => w.output()).join('')).toContain('job failed');
    // Loaded exactly once: nothing of the failed attempt is left behind.
    expect((await submissionOf(transient.name)).state).toBe('loaded');
    expect(await countOf('core.observation', sub.submission_id)).toBe(3);
    expect(pair.map((w) => w.running())).toEqual([true, true]);
  });

  // A dropped connection (network fault, Postgres restart or failover, pg_terminate_backend) fails
  // the job in flight, which is retried with backoff in the same worker: the process never dies.
  it('a load whose database connection drops is retried after a backoff, in the same worker, and loads once', async () => {
    const brokenAt = await breakLoadOf(dropped, 'pg_terminate_backend');
    const { sub, job, state } = await completedLoadOf(dropped.name, dropped.source);
    const alive = workers.filter((w) => w.running());
    expect(alive.length, workers.map((w) => w.output().slice(-1500)).join('\n')).toBe(workers.length);
    expect(state).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(job.failedReason).toMatch(/terminat/i);
    expect(job.processedOn! - brokenAt).toBeGreaterThanOrEqual(900);
    expect(await countOf('core.observation', sub.submission_id)).toBe(2);
  });

  it('after all of it every file is loaded exactly once or rejected, and the mart equals a clean run', async () => {
    // A supervisor restarts whatever stopped: one running worker is enough.
    if (!workers.some((w) => w.running())) workers.push(await startWorker(env));
    await waitUntilQuiet('every queue empty and every submission finished', database, queues);
    const states = await expectEachFileOnce(database, root.dir, all());
    const reference = await clean;
    expect(states).toEqual(reference.states);
    expectSameMart(await martSnapshot(database), reference.mart);
  });
});
