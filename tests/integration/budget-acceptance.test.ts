// Acceptance test of issue 4: 32 ward files per half-year through BullMQ, a province plan, and the
// figures of the city's own report: 1.348,9 tỷ đồng, bằng 107,22% cùng kỳ, bằng 51% kế hoạch tỉnh.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { pendingJobs } from '../../jobs/queues.js';
import { runViaQueues } from '../../jobs/run-via-queues.js';
import { startWorkers } from '../../jobs/workers.js';
import { dropFile } from '../helpers/drop-root.js';
import { runUpToLoad, useQueueContext } from '../helpers/jobs.js';
import { factValues } from '../helpers/pipeline.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/budget-revenue/', import.meta.url));

describe('budget revenue of TP Thái Nguyên, first half of 2022', () => {
  const f = useQueueContext('budget');

  const city = async () => (await factValues(f.database, { unit: '164', indicator: 'BUDGET_REVENUE', period: '2022S1' })).find((v) => v.series === 'actual')!;
  const rounded = (value: string) => Number(value).toFixed(2);

  beforeAll(async () => {
    for (const dir of ['2022S1', '2021S1', 'plan']) await cp(path.join(FIXTURES, dir), path.join(f.root, 'inbox'), { recursive: true });
  });

  it('coalesces 65 loads into one waiting rollup', async () => {
    // Everything but the rollup and publish stages runs; the rollups pile up, deduplicated.
    await runUpToLoad(f);
    const loaded = await f.database.db.selectFrom('core.submission').select('state').where('state', '=', 'loaded').execute();
    expect(loaded).toHaveLength(65);
    const waiting = await f.queues.rollup.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(waiting).toHaveLength(1);

    const late = startWorkers({ ...f, stages: ['rollup', 'publish'] });
    while ((await pendingJobs(f.queues)) > 0) await sleep(50);
    await late.close();
  });

  it('shows 1348.9 for the city, 107.22% of the same period last year and 51% of the province plan', async () => {
    expect(await city()).toMatchObject({ value: '1348.90', status: 'estimate', is_derived: true, reporting_units: 32, expected_units: 32 });
    const growth = await f.database.db
      .selectFrom('mart.growth')
      .selectAll()
      .where('unit_code', '=', '164')
      .where('indicator_code', '=', 'BUDGET_REVENUE')
      .where('period_code', '=', '2022S1')
      .where('series', '=', 'actual')
      .executeTakeFirstOrThrow();
    expect(growth.value_last_year).toBe('1258.07');
    expect(rounded(growth.yoy_pct!)).toBe('7.22');
    const plan = await f.database.db
      .selectFrom('mart.plan_progress')
      .selectAll()
      .where('unit_code', '=', '164')
      .where('indicator_code', '=', 'BUDGET_REVENUE')
      .where('period_code', '=', '2022S1')
      .executeTakeFirstOrThrow();
    expect(plan.plan_province).toBe('2644.9');
    expect(rounded(plan.pct_of_plan_province!)).toBe('51.00');
    // The province total is the city's (the only district that reported).
    const [province] = await factValues(f.database, { unit: '19', indicator: 'BUDGET_REVENUE', period: '2022S1' });
    expect(province!.value).toBe('1348.90');
  });

  it('an official resubmission of one ward changes the city total by exactly the difference', async () => {
    const before = await city();
    const [ward] = await factValues(f.database, { unit: '05440', indicator: 'BUDGET_REVENUE', period: '2022S1' });
    expect(ward!.status).toBe('estimate');
    await dropFile(f.root, '05440', 'thu-ngan-sach-2022S1-chinh-thuc.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;Tình trạng\nBUDGET_REVENUE;2022S1;72,89;tỷ đồng;chính thức\n');
    await runViaQueues(f.ctx, { startLocalWorkers: true, pollMs: 50 });
    const after = await city();
    // 72,89 − 71,52 = 1,37 tỷ đồng, to the last digit.
    expect(after.value).toBe('1350.27');
    expect(before.value).toBe('1348.90');
    expect(after.status).toBe('estimate'); // 31 wards are still estimates
    const history = await f.database.db
      .selectFrom('core.observation as o')
      .innerJoin('core.unit as u', 'u.unit_key', 'o.unit_key')
      .select(['o.value', 'o.status'])
      .where('u.code', '=', '05440')
      .where('o.period_code', '=', '2022S1')
      .orderBy('o.observation_id')
      .execute();
    expect(history).toEqual([
      { value: '71.52', status: 'estimate' },
      { value: '72.89', status: 'official' },
    ]);
  });
});
