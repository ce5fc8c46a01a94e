// Postgres away for longer than a job's retries last (five attempts, 1 + 2 + 4 + 8 s of backoff),
// as in a restart that takes its time or a managed failover. A job that cannot reach the database
// waits for it instead of using up its retries (jobs/workers.ts, src/db/unavailable.ts): before,
// the file in flight ended PROCESSING_FAILED, or stayed unfinished until the next scan when its
// rejection could not be written either. A private cluster, stopped with `pg_ctl stop -m fast`.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { useDeployment } from '../helpers/deployment.js';
import {
  dropFiles,
  expectEachFileOnce,
  expectSameMart,
  killStarted,
  largeSubmission,
  martSnapshot,
  useFaultFiles,
  usePrivatePostgres,
  waitForStageOf,
  waitUntilQuiet,
  type Proc,
} from '../helpers/faults.js';

const large = largeSubmission({ rows: 200_000, values: 40_000 });
const { files, clean } = useFaultFiles([large]);
afterAll(() => killStarted());

describe('Postgres stopped mid-load for longer than the retries last', () => {
  const pg = usePrivatePostgres();
  const d = useDeployment('postgres-outage', { databaseUrl: () => pg.server.url, workers: 2 });

  it('the jobs wait for it and every file loads once without another run; a worker stopped meanwhile exits', async () => {
    const [stopped, kept] = d.workers as [Proc, Proc];
    await dropFiles(d.root.dir, files);
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitForStageOf(d.database, large.name, 'load');
    await pg.server.stop();

    await sleep(8_000);
    // Told to stop while the database is away, it stops waiting for it: its job's attempt fails
    // and the other worker retries it.
    const exit = await stopped.stop('SIGTERM', 20_000);
    expect(exit, stopped.stderr().slice(-3000)).toEqual({ code: 0, signal: null });
    await sleep(12_000); // 20 s in all: every retry of the load would have been used up by now
    await pg.server.start();

    await waitUntilQuiet('every submission finished', d.database, d.queues, 120_000);
    expect(kept.running(), kept.stderr().slice(-3000)).toBe(true);
    const reference = await clean();
    expect(await expectEachFileOnce(d.database, d.root.dir, files)).toEqual(reference.states);
    expectSameMart(await martSnapshot(d.database), reference.mart);
    const logs = stopped.stderr() + kept.stderr();
    expect(logs).toContain('database unreachable: jobs wait until it is back');
    expect(logs).not.toContain('PROCESSING_FAILED');
  }, 180_000);
});
