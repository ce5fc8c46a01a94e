// Stage 6, publish: brings the mart's statistics up to date and records that the mart is current
// for a year. The mart is views over the current, derived and rolled-up values, so BI tools see a
// rollup as soon as it commits.
import { sql } from 'kysely';
import type { StageContext } from '../pipeline/context.js';

export async function publishYear(ctx: StageContext, year: number): Promise<{ year: number; cells: number }> {
  const db = ctx.database.db;
  const counted = await db
    .selectFrom('mart.fact_value as f')
    .innerJoin('core.period as p', 'p.code', 'f.period_code')
    .select((eb) => eb.fn.countAll<string>().as('cells'))
    .where('p.year', '=', year)
    .executeTakeFirstOrThrow();
  const cells = Number(counted.cells);
  // Fresh statistics after a load keep BI queries on their index plans (autovacuum may lag).
  await sql`ANALYZE core.current_value, core.derived_value, core.aggregate_value, core.comparable_value`.execute(db);
  await db
    .insertInto('core.publication')
    .values({ year, cells })
    .onConflict((oc) => oc.column('year').doUpdateSet({ cells, published_at: sql<Date>`now()` }))
    .execute();
  return { year, cells };
}
