// SPEC §5/§9: a worker killed with SIGKILL (OOM killer, power cut, `kill -9`) loses nothing and
// duplicates nothing. Its job's lock in Redis expires (DSTATS_JOB_LOCK_MS), BullMQ's stalled-job
// check hands the job to another worker, the normalise stage starts again from a clean slate and the
// load is one transaction; `dstats run --no-workers` re-dispatches whatever the database says is
// unfinished. The mart ends equal to a clean run of the same files on a fresh database.
import { jobOf } from '../helpers/jobs.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  dropFiles,
  dropRootState,
  expectEachFileOnce,
  expectSameMart,
  largeSubmission,
  martSnapshot,
  startWorker,
  submissions,
  waitFor,
  waitForStageOf,
  useFaultFiles,
} from '../helpers/faults.js';
import { useDeployment } from '../helpers/deployment.js';


describe('SIGKILL mid-normalise and mid-load', () => {
  const d = useDeployment('faults-sigkill');
  const large = largeSubmission({ rows: 200_000, values: 40_000 });
  const { files, clean } = useFaultFiles([large]);

  it('kill -9 during normalise, then during load: every file loaded exactly once, mart as a clean run', async () => {
    const first = await startWorker(d.env);
    await dropFiles(d.root.dir, files);
    await d.queues.scan.add('scan', { reason: 'test' });

    // 1. Killed while normalise streams the large file into staging.
    const big = await waitForStageOf(d.database, large.name, 'normalise');
    expect((await first.stop('SIGKILL')).signal).toBe('SIGKILL');

    // 2. The stalled normalise job comes back to a new worker; killed again, now inside the load.
    const second = await startWorker(d.env);
    await waitForStageOf(d.database, large.name, 'load');
    expect((await second.stop('SIGKILL')).signal).toBe('SIGKILL');
    expect((await submissions(d.database)).find((s) => s.submission_id === big.submission_id)!.state).toBe('staged');

    // 3. A third worker and a run: the stalled load returns, the scan re-dispatches the rest.
    const third = await startWorker(d.env);
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1); // 1 when a file is rejected during this run
    await waitFor('everything finished', async () => (await submissions(d.database)).every((s) => s.state !== 'received' && s.state !== 'staged'), 40_000, 200);
    // A second pass finds nothing left to do (and must not load anything twice).
    expect((await runCli(['run', '--no-workers'], d.env)).code).toBe(0);
    expect((await third.stop('SIGTERM')).code).toBe(0);

    // Each killed job came back through the stalled-job check, once.
    expect((await jobOf(d.queues.normalise, big.submission_id))!.stalledCounter).toBe(1);
    const load = (await jobOf(d.queues.load, big.submission_id))!;
    expect(load.stalledCounter).toBe(1);
    expect(await load.getState()).toBe('completed');

    const states = await expectEachFileOnce(d.database, d.root.dir, files);
    expect(states[`164-TCKH/${large.name}`]).toBe('loaded 40000');
    const reference = await clean();
    expect(states).toEqual(reference.states);
    expectSameMart(await martSnapshot(d.database), reference.mart);
  });
});

describe('a file whose worker is killed twice', () => {
  const d = useDeployment('faults-sigkill-twice');
  const poison = largeSubmission({ rows: 100_000, values: 10_000, lastYear: 2019, name: 'giet-hai-lan.csv' });

  it('ends loaded or rejected with a reason, never stuck in work/', async () => {
    await dropFiles(d.root.dir, [poison]);
    let worker = await startWorker(d.env);
    await d.queues.scan.add('scan', { reason: 'test' });
    for (let kill = 0; kill < 2; kill++) {
      await waitForStageOf(d.database, poison.name, 'normalise');
      await worker.stop('SIGKILL');
      worker = await startWorker(d.env);
    }
    const sub = await waitFor('the submission', async () => (await submissions(d.database))[0]);
    // The third worker gets the job back from the stalled check and fails it for good.
    await waitFor('the normalise job to fail', async () => (await jobOf(d.queues.normalise, sub.submission_id))?.failedReason, 30_000, 200);
    // Nightly runs go on; none of them finishes the file.
    for (let run = 0; run < 2; run++) await runCli(['run', '--no-workers'], d.env);
    await worker.stop('SIGTERM');
    const [after] = await submissions(d.database);
    const files = await dropRootState(d.root.dir);
    expect({ state: after!.state, work: files.work }).toEqual({ state: expect.stringMatching(/^(loaded|rejected)$/), work: [] });
  });
});
