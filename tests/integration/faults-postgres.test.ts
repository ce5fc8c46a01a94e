// SPEC §5/§9: Postgres restarted while a worker is loading a large file, on a private cluster
// (initdb as the postgres OS user, its own port). Stopped with `pg_ctl stop -m immediate` (every
// backend killed, as in a crash or failover) in the middle of the load transaction and started
// again: the transaction is rolled back whole (never a partial submission), the job is retried,
// and after recovery every file is loaded exactly once and the mart equals a clean run. Stopped
// with `pg_ctl stop -m fast` (a clean restart, as `docker compose restart postgres`): the jobs in
// flight are retried once it is back, and every file loads without another run.
import { jobOf } from '../helpers/jobs.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingJobs } from '../../jobs/queues.js';
import { runCli } from '../helpers/cli.js';
import { useDeployment, type Deployment } from '../helpers/deployment.js';
import {
  dropFiles,
  dropRootState,
  expectEachFileOnce,
  expectSameMart,
  killStarted,
  largeSubmission,
  martSnapshot,
  waitUntilQuiet,
  startWorker,
  submissions,
  waitFor,
  waitForStageOf,
  type DropFile,
  useFaultFiles,
  usePrivatePostgres,
} from '../helpers/faults.js';

const large = largeSubmission({ rows: 200_000, values: 40_000 });
const { files, clean } = useFaultFiles([large]);
afterAll(() => killStarted());

/** Drops the files and waits until the large one is being loaded: its submission and load job. */
async function untilLargeFileLoads(d: Deployment) {
  await dropFiles(d.root.dir, files);
  await d.queues.scan.add('scan', { reason: 'test' });
  const big = await waitForStageOf(d.database, large.name, 'load');
  return { big, load: (await jobOf(d.queues.load, big.submission_id))! };
}

describe('Postgres crashed mid-load', () => {
  const pg = usePrivatePostgres();
  const d = useDeployment('faults-postgres', { databaseUrl: () => pg.server.url, workers: 1 });

  it('the load transaction is rolled back whole and the job retries in the same worker', async () => {
    // The job in flight; its retry finds the (unlogged) staging emptied and hands the file back to
    // normalise, whose new load job may well be done before we look again.
    const { big, load } = await untilLargeFileLoads(d);
    await pg.server.crash();
    await sleep(500);
    await pg.server.start();

    // Never a partial submission: no observation of it, and either still staged or, when the
    // retried job was quicker than this check, handed back to normalise ('received') because the
    // crash emptied the unlogged staging.
    const after = (await submissions(d.database)).find((s) => s.submission_id === big.submission_id)!;
    const { n } = await d.database.db.selectFrom('core.observation').select((eb) => eb.fn.countAll<string>().as('n')).where('submission_id', '=', big.submission_id).executeTakeFirstOrThrow();
    expect(n).toBe('0');
    expect(['staged', 'received']).toContain(after.state);

    await sleep(1000);
    expect(d.workers[0]!.running(), d.workers[0]!.output().slice(-2000)).toBe(true);
    await waitFor('the retried load', async () => (await load.getState()) === 'completed', 30_000, 200);
    expect((await d.queues.load.getJob(load.id!))!.attemptsMade).toBeGreaterThanOrEqual(2);
  });

  it('after the restart (and a worker restarted by its supervisor) every file ends loaded or rejected, once', async () => {
    if (!d.workers[0]!.running()) d.workers[0] = await startWorker(d.env);
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    await waitUntilQuiet('every submission finished', d.database, d.queues);
    const states = await expectEachFileOnce(d.database, d.root.dir, files);
    expect(Object.keys(states).sort()).toEqual(Object.keys((await clean()).states).sort());
  });

  it('the values and the mart equal a clean run of the same files', async () => {
    const states = await expectEachFileOnce(d.database, d.root.dir, files);
    const reference = await clean();
    expect(states).toEqual(reference.states);
    expectSameMart(await martSnapshot(d.database), reference.mart);
  });

  it('a file taken in while Postgres is down is loaded once it is back', async () => {
    const late: DropFile = { source: '05452', name: 'bao-cao-2023S1.csv', content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2023S1;31\nCCTV_CAMERAS;2023S1;4\n' };
    await dropFiles(d.root.dir, [late]);
    // The scan runs while Postgres is up; its intake job waits (queue paused) until Postgres is down.
    await d.queues.intake.pause();
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitFor('the intake job', async () => (await d.queues.intake.count()) > 0);
    const AWAY = 'database unreachable: jobs wait until it is back';
    const told = () => d.workers.reduce((n, w) => n + w.output().split(AWAY).length - 1, 0);
    const toldBefore = told(); // the crash mid-load above was told too
    await pg.server.crash();
    await d.queues.intake.resume();
    // The intake cannot register the file: it puts it back in inbox/ and waits for the database
    // in its worker, without using up a retry (src/db/unavailable.ts).
    await waitFor('the intake to find the database away', () => told() > toldBefore, 20_000, 100);
    await pg.server.start();
    await waitFor('the intake job to finish', async () => (await pendingJobs(d.queues)) === 0, 30_000, 200);
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);

    const sub = (await submissions(d.database)).find((s) => s.file_name === late.name);
    const left = await dropRootState(d.root.dir);
    expect({ state: sub?.state, work: left.work }).toEqual({ state: 'loaded', work: [] });
  });
});

describe('Postgres restarted cleanly mid-load', () => {
  const pg = usePrivatePostgres();
  const d = useDeployment('faults-postgres-restart', { databaseUrl: () => pg.server.url, workers: 2 });

  it('the jobs in flight are retried once it is back, and every file loads once without another run', async () => {
    const { load } = await untilLargeFileLoads(d);
    await pg.server.stop();
    await sleep(1000);
    await pg.server.start();

    await waitUntilQuiet('every submission finished', d.database, d.queues);
    for (const w of d.workers) expect(w.running(), w.output().slice(-2000)).toBe(true);
    // The load in flight was cut off and loaded by a retry (staging survives a clean shutdown).
    expect((await d.queues.load.getJob(load.id!))!.attemptsMade).toBeGreaterThanOrEqual(2);
    const states = await expectEachFileOnce(d.database, d.root.dir, files);
    const reference = await clean();
    expect(states).toEqual(reference.states);
    expectSameMart(await martSnapshot(d.database), reference.mart);
  });
});
