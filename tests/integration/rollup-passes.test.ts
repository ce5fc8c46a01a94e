// A rollup works through its pending years in passes, several at once, each in its own
// transaction (src/rollup/rollup.ts): a year locked by another rollup holds back only its own pass,
// and a pass that fails leaves its years pending while the other passes commit and publish.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../src/load/load-submission.js';
import { steps, type Dispatcher } from '../../src/pipeline/steps.js';
import { rollupPending } from '../../src/rollup/rollup.js';
import { factValues, nowhere, stageWardFile, useStageContext } from '../helpers/pipeline.js';

const WARD = '05440';
// Two years apart: never one pass (rollupBatches joins consecutive years only).
const LINES = ['BUDGET_REVENUE;2021Q1;10,5;tỷ đồng', 'BUDGET_REVENUE;2023Q1;4;tỷ đồng'];

describe('rollup passes', () => {
  const fixture = useStageContext('rollup-passes');
  let n = 0;

  async function loadWardFile(lines: string[]): Promise<void> {
    const id = await stageWardFile(fixture, WARD, `so-lieu-${++n}.csv`, lines);
    expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
  }

  const pendingYears = async () =>
    (await sql<{ year: number }>`SELECT DISTINCT year FROM core.rollup_pending ORDER BY year`.execute(fixture.database.db)).rows.map((r) => r.year);
  const publishedYears = async () =>
    (await sql<{ year: number }>`SELECT year FROM core.publication ORDER BY year`.execute(fixture.database.db)).rows.map((r) => r.year);
  const cityValue = async (period: string) => (await factValues(fixture.database, { unit: '164', indicator: 'BUDGET_REVENUE', period }))[0]?.value;

  it('a year held by another rollup holds back only its own pass', async () => {
    await loadWardFile(LINES);
    expect(fixture.ctx.config.rollupConcurrency).toBeGreaterThan(1);
    const published: number[][] = [];
    let rollup: Promise<{ years: number[] }> | undefined;
    await fixture.database.withSession(async (session) => {
      // Another rollup's pass of 2021, as far as the locks go.
      await session.query(`SELECT pg_advisory_lock(hashtext('dstats:rollup'), 2021)`);
      try {
        rollup = rollupPending(fixture.ctx, async (years) => void published.push(years));
        await waitUntil(() => published.length > 0);
        expect(published).toEqual([[2023]]);
        expect(await cityValue('2023Q1')).toBe('4');
        expect(await pendingYears()).toEqual([2021]);
      } finally {
        await session.query(`SELECT pg_advisory_unlock(hashtext('dstats:rollup'), 2021)`);
      }
    });
    expect((await rollup!).years).toEqual([2021, 2023]);
    expect(published).toEqual([[2023], [2021]]);
    expect(await cityValue('2021Q1')).toBe('10.5');
    expect(await pendingYears()).toEqual([]);
  });

  it('a failed pass keeps its years pending; the other passes commit and are published', async () => {
    await loadWardFile(['BUDGET_REVENUE;2021Q2;7;tỷ đồng', 'BUDGET_REVENUE;2023Q2;8;tỷ đồng']);
    // 2023's rollup fails where it writes the city's value (a fault inside Postgres).
    await sql`CREATE FUNCTION public.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test'; END $$`.execute(fixture.database.db);
    await sql`CREATE TRIGGER refuse BEFORE INSERT ON core.aggregate_value_y2023 FOR EACH ROW EXECUTE FUNCTION public.refuse()`.execute(fixture.database.db);
    await sql`DELETE FROM core.publication`.execute(fixture.database.db);
    // The rollup job, handing over to the publish stage as it does on the queues.
    const dispatcher: Dispatcher = {
      ...nowhere,
      publish: async (years) => void (await steps.publish(fixture.ctx, dispatcher, years)),
    };
    try {
      await expect(steps.rollup(fixture.ctx, dispatcher)).rejects.toThrow('refused by the test');
    } finally {
      await sql`DROP TRIGGER refuse ON core.aggregate_value_y2023`.execute(fixture.database.db);
    }
    expect(await publishedYears()).toEqual([2021]);
    expect(await cityValue('2021Q2')).toBe('7');
    expect(await cityValue('2023Q2')).toBeUndefined();
    expect(await pendingYears()).toEqual([2023]);

    // The retried job finds only what failed.
    expect((await steps.rollup(fixture.ctx, dispatcher)).years).toEqual([2023]);
    expect(await cityValue('2023Q2')).toBe('8');
    expect(await publishedYears()).toEqual([2021, 2023]);
  });

  it('a rollup with nothing pending does nothing', async () => {
    expect(await rollupPending(fixture.ctx)).toEqual({ years: [], changed: 0, derived: 0, aggregated: 0, comparable: 0, staleMarked: 0 });
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
