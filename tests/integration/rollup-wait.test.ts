// Through BullMQ, a rollup waits while files are still on their way to the warehouse (it would
// recompute the same ancestors again for each batch of loads), but never longer than
// DSTATS_ROLLUP_MAX_WAIT_MS (src/rollup/wait.ts).
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { pendingJobs } from '../../jobs/queues.js';
import { runViaQueues } from '../../jobs/run-via-queues.js';
import { startWorkers } from '../../jobs/workers.js';
import type { StageContext } from '../../src/pipeline/context.js';
import { dropFile } from '../helpers/drop-root.js';
import { waitFor } from '../helpers/faults.js';
import { runUpToLoad, useQueueContext } from '../helpers/jobs.js';
import { factValues } from '../helpers/pipeline.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/budget-revenue/', import.meta.url));
const WARD_HEADER = 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;Tình trạng';

describe('a rollup queued through BullMQ waits for the files in flight', () => {
  const f = useQueueContext('rollup-wait', { rollupMaxWaitMs: 10 * 60_000 });

  const cityRevenue = async (period: string) =>
    (await factValues(f.database, { unit: '164', indicator: 'BUDGET_REVENUE', period })).find((v) => v.series === 'actual');
  const pendingRollups = async () => Number((await f.database.db.selectFrom('core.rollup_pending').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  async function loadWithoutRollup() {
    await runUpToLoad(f);
    expect(await pendingRollups()).toBeGreaterThan(0);
  }

  /** A load job no worker takes while the test holds it: a file still in flight. */
  const fileInFlight = () => f.queues.load.add('load', { submissionId: '0' });
  const rollupJob = async (): Promise<Job | undefined> => (await f.queues.rollup.getJobs(['waiting', 'delayed', 'active', 'prioritized']))[0];
  const rollupWorkers = (ctx: StageContext) => startWorkers({ ...f, ctx, stages: ['rollup', 'publish'] });

  it('rolls 32 ward files up once, after the last has loaded', async () => {
    await cp(path.join(FIXTURES, '2022S1'), path.join(f.root, 'inbox'), { recursive: true });
    await runViaQueues(f.ctx, { startLocalWorkers: true, pollMs: 50 });
    const loaded = await f.database.db.selectFrom('core.submission').select('submission_id').where('state', '=', 'loaded').execute();
    expect(loaded).toHaveLength(32);
    const rollups = await f.queues.rollup.getJobs(['completed']);
    // A load that ends while the waiting rollup looks again queues one more, which finds nothing.
    const working = rollups.filter((job) => job.returnvalue.changed > 0);
    expect(working).toHaveLength(1);
    expect(working[0]!.returnvalue).toMatchObject({ years: [2022], changed: 32 });
    expect(await cityRevenue('2022S1')).toMatchObject({ value: '1348.90', reporting_units: 32 });
    expect(await pendingRollups()).toBe(0);
  });

  it('waits while a file is still in flight, and rolls up once it has gone', async () => {
    await cp(path.join(FIXTURES, '2021S1'), path.join(f.root, 'inbox'), { recursive: true });
    await loadWithoutRollup();
    const blocker = await fileInFlight();
    const late = rollupWorkers(f.ctx);
    try {
      await waitFor('the rollup to wait', async () => (await rollupJob())?.isDelayed());
      // It looks again every second; two more looks and it is still waiting.
      await sleep(2500);
      expect(await (await rollupJob())?.getState()).toBe('delayed');
      expect(await pendingRollups()).toBeGreaterThan(0);
      expect(await cityRevenue('2021S1')).toBeUndefined();

      await blocker.remove();
      await waitFor('the rollup to run', async () => (await pendingJobs(f.queues)) === 0 && (await pendingRollups()) === 0);
      expect(await cityRevenue('2021S1')).toMatchObject({ value: '1258.07', reporting_units: 32 });
    } finally {
      await late.close();
    }
  });

  it('does not wait past DSTATS_ROLLUP_MAX_WAIT_MS', async () => {
    await dropFile(f.root, '05440', 'thu-ngan-sach-2023S1.csv', `${WARD_HEADER}\nBUDGET_REVENUE;2023S1;10,5;tỷ đồng;ước tính\n`);
    await loadWithoutRollup();
    const blocker = await fileInFlight();
    const impatient: StageContext = { ...f.ctx, config: { ...f.ctx.config, rollupMaxWaitMs: 1500 } };
    const late = rollupWorkers(impatient);
    try {
      await waitFor('the rollup to run with a file still in flight', async () => (await pendingRollups()) === 0 && (await f.queues.publish.getJobCounts('waiting', 'active')).waiting === 0);
      expect(await blocker.getState()).toBe('waiting');
      await waitFor('the city figure', () => cityRevenue('2023S1'));
      expect(await cityRevenue('2023S1')).toMatchObject({ value: '10.5', reporting_units: 1 });
    } finally {
      await late.close();
      await blocker.remove();
    }
  });
});
