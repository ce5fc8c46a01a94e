// Work the database says is not finished: submissions not yet normalised or loaded, loaded and
// duplicate files not yet archived with their receipt (a full disk), and loads waiting for a rollup.
import { rollupIsPending } from '../rollup/rollup.js';
import { awaitingArchive, awaitsArchive } from './archive.js';
import type { StageContext } from './context.js';

export async function unfinishedWork(ctx: StageContext): Promise<{ received: string[]; staged: string[]; unreported: string[]; rollup: boolean }> {
  const rows = await ctx.database.db
    .selectFrom('core.submission')
    .select(['submission_id', 'state', 'reported_at'])
    .where((eb) => eb.or([eb('state', 'in', ['received', 'staged']), awaitingArchive(eb)]))
    .orderBy('submission_id')
    .execute();
  return {
    received: rows.filter((r) => r.state === 'received').map((r) => r.submission_id),
    staged: rows.filter((r) => r.state === 'staged').map((r) => r.submission_id),
    unreported: rows.filter(awaitsArchive).map((r) => r.submission_id),
    rollup: await rollupIsPending(ctx),
  };
}
