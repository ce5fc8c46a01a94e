// Stage 6, publish: records that the mart is current for a period (mart.fact_value is a view over
// the current and rolled-up values, so BI tools see a load as soon as it commits).
import { sql } from 'kysely';
import type { StageContext } from '../pipeline/context.js';

export async function publishPeriod(ctx: StageContext, period: string): Promise<{ period: string; cells: number }> {
  const db = ctx.database.db;
  const counted = await db
    .selectFrom('mart.fact_value')
    .select((eb) => eb.fn.countAll<string>().as('cells'))
    .where('period_code', '=', period)
    .executeTakeFirstOrThrow();
  const cells = Number(counted.cells);
  await db
    .insertInto('core.publication')
    .values({ period_code: period, cells })
    .onConflict((oc) => oc.column('period_code').doUpdateSet({ cells, published_at: sql<Date>`now()` }))
    .execute();
  return { period, cells };
}
