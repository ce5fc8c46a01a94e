// Stage 6, publish: records that the mart is current for the years a rollup touched. The mart is views over the
// current, derived and rolled-up values, so BI tools see a rollup as soon as it commits.
import { sql } from 'kysely';
import type { StageContext } from '../pipeline/context.js';

export async function publishYears(ctx: StageContext, years: number[]): Promise<{ years: number[] }> {
  if (years.length === 0) return { years };
  await ctx.database.db
    .insertInto('core.publication')
    .values(years.map((year) => ({ year })))
    .onConflict((oc) => oc.column('year').doUpdateSet({ published_at: sql<Date>`now()` }))
    .execute();
  return { years };
}
