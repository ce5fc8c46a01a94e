// Work the database says is not finished: submissions not yet normalised or loaded, loaded and
// duplicate files not yet archived with their receipt (a full disk), and loads waiting for a rollup.
import { rollupIsPending } from '../rollup/rollup.js';
import type { StageContext } from './context.js';

export async function unfinishedWork(ctx: StageContext): Promise<{ received: string[]; staged: string[]; unreported: string[]; rollup: boolean }> {
  const rows = await ctx.database.db
    .selectFrom('core.submission')
    .select(['submission_id', 'state'])
    .where((eb) => eb.or([eb('state', 'in', ['received', 'staged']), eb.and([eb('state', 'in', ['loaded', 'duplicate']), eb('reported_at', 'is', null)])]))
    .orderBy('submission_id')
    .execute();
  return {
    received: rows.filter((r) => r.state === 'received').map((r) => r.submission_id),
    staged: rows.filter((r) => r.state === 'staged').map((r) => r.submission_id),
    unreported: rows.filter((r) => r.state === 'loaded' || r.state === 'duplicate').map((r) => r.submission_id),
    rollup: await rollupIsPending(ctx),
  };
}
