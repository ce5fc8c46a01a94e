// One pass without Redis: the same steps, run in order in this process. Rollups are coalesced:
// each touched period is rolled up once, after every file has loaded.
import { dirtyPeriods } from '../rollup/rollup-period.js';
import type { StageContext } from './context.js';
import { steps, type Dispatcher } from './steps.js';

export interface InProcessOutcome {
  files: number;
  failures: { what: string; error: string }[];
}

export async function runInProcess(ctx: StageContext): Promise<InProcessOutcome> {
  const periods = new Set<string>();
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
    rollup: async (period) => void periods.add(period),
    publish: async (period) => void (await steps.publish(ctx, dispatcher, period)),
  };

  // Finish what an interrupted earlier run left behind (this process owns the embedded database).
  await resumeUnfinished(ctx, dispatcher);
  const { files } = await steps.scan(ctx, dispatcher);
  for (const period of await dirtyPeriods(ctx)) periods.add(period);
  for (const period of [...periods].sort()) await steps.rollup(ctx, dispatcher, period);
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
