// Through BullMQ, a rollup waits while files are still on their way to the warehouse (it would
// recompute the same ancestors again for each batch of loads), but never longer than
// DSTATS_ROLLUP_MAX_WAIT_MS (src/rollup/wait.ts).
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../jobs/connection.js';
import { closeQueues, createQueues, pendingJobs, type Queues } from '../../jobs/queues.js';
import { runViaQueues } from '../../jobs/run-via-queues.js';
import { startWorkers } from '../../jobs/workers.js';
import type { Database } from '../../src/db/connect.js';
import type { StageContext } from '../../src/pipeline/context.js';
import { dropFile } from '../helpers/drop-root.js';
import { waitFor } from '../helpers/faults.js';
import { runUpToLoad } from '../helpers/jobs.js';
import { factValues, preparedContext } from '../helpers/pipeline.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/budget-revenue/', import.meta.url));
const WARD_HEADER = 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;Tình trạng';

describe('a rollup queued through BullMQ waits for the files in flight', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let ctx: StageContext;
  let database: Database;
  const { redisUrl } = serverUrls();
  const prefix = testQueuePrefix();
  const connection = redisConnection(redisUrl);
  let queues: Queues;

  const cityRevenue = async (period: string) =>
    (await factValues(database, { unit: '164', indicator: 'BUDGET_REVENUE', period })).find((v) => v.series === 'actual');
  const pendingRollups = async () => Number((await database.db.selectFrom('core.rollup_pending').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  async function loadWithoutRollup() {
    await runUpToLoad({ ctx, queues, connection, prefix });
    expect(await pendingRollups()).toBeGreaterThan(0);
  }

  /** A load job no worker takes while the test holds it: a file still in flight. */
  const fileInFlight = () => queues.load.add('load', { submissionId: '0' });
  const rollupJob = async (): Promise<Job | undefined> => (await queues.rollup.getJobs(['waiting', 'delayed', 'active', 'prioritized']))[0];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('rollup-wait');
    ({ ctx, database } = await preparedContext({
      databaseUrl: tdb.url,
      root: root.dir,
      config: { queuePrefix: prefix, redisUrl, rollupMaxWaitMs: 10 * 60_000 },
    }));
    queues = createQueues(connection, prefix);
  });
  afterAll(async () => {
    await closeQueues(queues);
    connection.disconnect();
    await database.close();
    await tdb.drop();
    await root.remove();
  });

  it('rolls 32 ward files up once, after the last has loaded', async () => {
    await cp(path.join(FIXTURES, '2022S1'), path.join(root.dir, 'inbox'), { recursive: true });
    await runViaQueues(ctx, { redisUrl, startLocalWorkers: true, pollMs: 50 });
    const loaded = await database.db.selectFrom('core.submission').select('submission_id').where('state', '=', 'loaded').execute();
    expect(loaded).toHaveLength(32);
    const rollups = await queues.rollup.getJobs(['completed']);
    // A load that ends while the waiting rollup looks again queues one more, which finds nothing.
    const working = rollups.filter((job) => job.returnvalue.changed > 0);
    expect(working).toHaveLength(1);
    expect(working[0]!.returnvalue).toMatchObject({ years: [2022], changed: 32 });
    expect(await cityRevenue('2022S1')).toMatchObject({ value: '1348.90', reporting_units: 32 });
    expect(await pendingRollups()).toBe(0);
  });

  it('waits while a file is still in flight, and rolls up once it has gone', async () => {
    await cp(path.join(FIXTURES, '2021S1'), path.join(root.dir, 'inbox'), { recursive: true });
    await loadWithoutRollup();
    const blocker = await fileInFlight();
    const late = startWorkers({ ctx, queues, connection, prefix, stages: ['rollup', 'publish'] });
    try {
      await waitFor('the rollup to wait', async () => (await rollupJob())?.isDelayed());
      // It looks again every second; two more looks and it is still waiting.
      await sleep(2500);
      expect(await (await rollupJob())?.getState()).toBe('delayed');
      expect(await pendingRollups()).toBeGreaterThan(0);
      expect(await cityRevenue('2021S1')).toBeUndefined();

      await blocker.remove();
      await waitFor('the rollup to run', async () => (await pendingJobs(queues)) === 0 && (await pendingRollups()) === 0);
      expect(await cityRevenue('2021S1')).toMatchObject({ value: '1258.07', reporting_units: 32 });
    } finally {
      await late.close();
    }
  });

  it('does not wait past DSTATS_ROLLUP_MAX_WAIT_MS', async () => {
    await dropFile(root.dir, '05440', 'thu-ngan-sach-2023S1.csv', `${WARD_HEADER}\nBUDGET_REVENUE;2023S1;10,5;tỷ đồng;ước tính\n`);
    await loadWithoutRollup();
    const blocker = await fileInFlight();
    const impatient: StageContext = { ...ctx, config: { ...ctx.config, rollupMaxWaitMs: 1500 } };
    const late = startWorkers({ ctx: impatient, queues, connection, prefix, stages: ['rollup', 'publish'] });
    try {
      await waitFor('the rollup to run with a file still in flight', async () => (await pendingRollups()) === 0 && (await queues.publish.getJobCounts('waiting', 'active')).waiting === 0);
      expect(await blocker.getState()).toBe('waiting');
      await waitFor('the city figure', () => cityRevenue('2023S1'));
      expect(await cityRevenue('2023S1')).toMatchObject({ value: '10.5', reporting_units: 1 });
    } finally {
      await late.close();
      await blocker.remove();
    }
  });
});
