// Work the database says is not finished: submissions not yet normalised or loaded, and loads
// waiting for a rollup.
import { rollupIsPending } from '../rollup/rollup.js';
import type { StageContext } from './context.js';

export async function unfinishedWork(ctx: StageContext): Promise<{ received: string[]; staged: string[]; rollup: boolean }> {
  const rows = await ctx.database.db
    .selectFrom('core.submission')
    .select(['submission_id', 'state'])
    .where('state', 'in', ['received', 'staged'])
    .orderBy('submission_id')
    .execute();
  return {
    received: rows.filter((r) => r.state === 'received').map((r) => r.submission_id),
    staged: rows.filter((r) => r.state === 'staged').map((r) => r.submission_id),
    rollup: await rollupIsPending(ctx),
  };
}
