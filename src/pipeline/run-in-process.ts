// One pass without Redis: the same steps, run in order in this process. Rollups are coalesced:
// each touched year is rolled up once, after every file has loaded.
import { dirtyYears } from '../rollup/rollup-year.js';
import type { StageContext } from './context.js';
import { steps, type Dispatcher } from './steps.js';

export interface InProcessOutcome {
  files: number;
  failures: { what: string; error: string }[];
}

export async function runInProcess(ctx: StageContext): Promise<InProcessOutcome> {
  const years = new Set<number>();
  const failures: InProcessOutcome['failures'] = [];
  const dispatcher: Dispatcher = {
    async intake(payload) {
      // A fault outside the file (database gone, disk full) stops this file, not the run.
      try {
        await steps.intake(ctx, dispatcher, payload);
      } catch (error) {
        ctx.log.error({ err: error, sourceId: payload.sourceId }, 'file failed');
        failures.push({ what: `${payload.sourceId}/${payload.fileName}`, error: (error as Error).message });
      }
    },
    normalise: async (id) => void (await steps.normalise(ctx, dispatcher, id)),
    load: async (id) => void (await steps.load(ctx, dispatcher, id)),
    rollup: async (year) => void years.add(year),
    publish: async (year) => void (await steps.publish(ctx, dispatcher, year)),
  };

  // Finish what an interrupted earlier run left behind (this process owns the embedded database).
  await resumeUnfinished(ctx, dispatcher);
  const { files } = await steps.scan(ctx, dispatcher);
  for (const year of await dirtyYears(ctx)) years.add(year);
  for (const year of [...years].sort()) await steps.rollup(ctx, dispatcher, year);
  return { files, failures };
}

async function resumeUnfinished(ctx: StageContext, dispatcher: Dispatcher) {
  const unfinished = await ctx.database.db
    .selectFrom('core.submission')
    .select(['submission_id', 'state'])
    .where('state', 'in', ['received', 'staged'])
    .orderBy('submission_id')
    .execute();
  for (const s of unfinished) {
    if (s.state === 'received') await dispatcher.normalise(s.submission_id);
    else await dispatcher.load(s.submission_id);
  }
}
