// A load and a rollup running at the same time, as they do whenever a worker (DSTATS_CONCURRENCY
// 4 per stage) or several workers process a night's files. Found by the Redis-restart fault test
// (its mart differed from a clean run in 2022YTD06 for 05440, 164 and 19); here the interleaving
// is forced with a row lock, so it happens every time.
import { describe, expect, it } from 'vitest';
import { lockYearsForRollup } from '../../src/db/year-locks.js';
import { steps } from '../../src/pipeline/steps.js';
import { activeQueries, martSnapshot, sampleFiles, waitFor, waitForLoadToWait, whileStagedRowsHeld } from '../helpers/faults.js';
import { cellsWithTwoValues, nowhere, stageFile, stageWardFile, useStageContext } from '../helpers/pipeline.js';

describe('a rollup running while a load of the same year commits', () => {
  const fixture = useStageContext('faults-race');

  // The stages one at a time, in the order this test chooses: hand-overs go nowhere.
  const loadSubmission = (id: string) => steps.load(fixture.ctx, nowhere, id);
  const rollupPending = () => steps.rollup(fixture.ctx, nowhere);

  async function stage(source: string): Promise<string> {
    const [file] = await sampleFiles([source]);
    return stageFile(fixture, source, file!.name, file!.content);
  }

  // Regression guard. In the code committed up to 5e1e3e9 the load marked the cells it changed with
  // INSERT … ON CONFLICT DO NOTHING into core.rollup_dirty. A cell already marked (an earlier load,
  // not yet rolled up) got no new mark and no lock; a rollup starting before the load committed
  // claimed (deleted) the old mark and derived from the value committed so far; once the load
  // committed, nothing was left to roll its value up: ward 05440's estimate for BUDGET_REVENUE
  // 2022S1 (42,75) stayed in 2022YTD06 of 05440, 164 and 19 (42.75 / 301.66 estimate) after the
  // finance department's official 24,19 replaced it, and no later run repaired it. Pending loads
  // are now claimed per submission (core.rollup_pending), so a load that commits after the claim
  // is rolled up by the next rollup.
  it('the figures derived from a cell follow its value in force', async () => {
    const ward = await stage('05440'); // 42,75 tỷ đồng, estimate
    expect((await loadSubmission(ward)).outcome).toBe('loaded'); // 05440 BUDGET_REVENUE 2022S1 now waits for a rollup
    const finance = await stage('164-TCKH'); // 24,19 tỷ đồng for 05440, official

    let load: Promise<unknown> = Promise.resolve();
    let rollup: Promise<unknown> = Promise.resolve();
    // Hold the load inside its transaction, before its commit.
    await whileStagedRowsHeld(fixture.database, finance, async () => {
      load = loadSubmission(finance);
      await waitForLoadToWait(fixture.database);
      // A rollup job that starts a moment before the load commits. Fixed, it waits for the load:
      // at the year the load holds (src/db/year-locks.ts), which it takes before its claim.
      rollup = rollupPending();
      await Promise.race([rollup, waitFor('the rollup to wait for the load', async () => (await activeQueries(fixture.database)).some((q) => /pg_advisory_xact_lock\(/i.test(q.query) && q.wait_event_type === 'Lock'))]);
    });
    await rollup;
    expect(await load).toMatchObject({ outcome: 'loaded' });
    await rollupPending(); // the rollup the load sets off

    const mart = await martSnapshot(fixture.database);
    const ytd06 = mart.filter((line) => /^(05440|164|19)\|BUDGET_REVENUE\|2022YTD06\|actual\|/.test(line));
    expect(ytd06).toEqual(['05440|BUDGET_REVENUE|2022YTD06|actual|24.19|official', '164|BUDGET_REVENUE|2022YTD06|actual|283.10|official', '19|BUDGET_REVENUE|2022YTD06|actual|283.10|official'].sort());
    expect(await cellsWithTwoValues(fixture.database)).toEqual([]);
  });

  // A rollup pass computes from what its statements saw when they started. A load committing in
  // between would find no derived value to remove, and the pass would then write one beside the
  // reported value: two values for one cell in the mart. So a load waits for a pass of its year.
  it('a load waits while a rollup pass holds its year, and not for a pass of another year', async () => {
    const first = await stageWardFile(fixture, '05443', 'thu-ngan-sach-2022S2.csv', ['BUDGET_REVENUE;2022S2;7,5;tỷ đồng']);
    const loadedState = async () => (await fixture.database.db.selectFrom('core.submission').select('state').where('submission_id', '=', first).executeTakeFirstOrThrow()).state;
    let load: Promise<unknown> = Promise.resolve();
    await fixture.database.db.transaction().execute(async (pass) => {
      await lockYearsForRollup(pass, [2023]);
      await lockYearsForRollup(pass, [2022]);
      load = loadSubmission(first);
      await waitFor('the load to wait for the pass of 2022', async () => (await activeQueries(fixture.database)).some((q) => /pg_advisory_xact_lock_shared\(/.test(q.query) && q.wait_event_type === 'Lock'));
      expect(await loadedState()).toBe('staged');
    });
    expect(await load).toMatchObject({ outcome: 'loaded' });

    const second = await stageWardFile(fixture, '05440', 'thu-ngan-sach-2022S2.csv', ['BUDGET_REVENUE;2022S2;30;tỷ đồng']);
    await fixture.database.db.transaction().execute(async (pass) => {
      await lockYearsForRollup(pass, [2021, 2023]);
      expect(await loadSubmission(second)).toMatchObject({ outcome: 'loaded' });
    });
  });
});
