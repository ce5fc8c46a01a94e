// Stage 5, rollup: recomputes, for one period, only the ancestors of the cells loads marked dirty,
// level by level from the wards up. Two workers never roll up the same period at once (a
// transaction advisory lock), and the claim is undone if the transaction fails.
import { sql } from 'kysely';
import { runSql } from '../db/sql-file.js';
import type { StageContext } from '../pipeline/context.js';

export interface RollupResult {
  period: string;
  cells: number;
}

export async function rollupPeriod(ctx: StageContext, period: string): Promise<RollupResult> {
  const cells = await ctx.database.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`dstats:rollup:${period}`}))`.execute(trx);
    await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_target (
      unit_key integer, indicator_code text, series text, level smallint) ON COMMIT DROP`.execute(trx);
    const claimed = await runSql(trx, 'rollup_claim', [period]);
    if (claimed.affected === 0) return 0;
    const levels = await sql<{ level: number }>`SELECT DISTINCT level FROM rollup_target ORDER BY level DESC`.execute(trx);
    let written = 0;
    for (const { level } of levels.rows) {
      written += (await runSql(trx, 'rollup_level', [period, level])).affected;
    }
    return written;
  });
  if (cells > 0) ctx.log.info({ period, cells }, 'rollup done');
  return { period, cells };
}

/** Periods with cells waiting for a rollup (used by one-pass runs and recovery). */
export async function dirtyPeriods(ctx: StageContext): Promise<string[]> {
  const rows = await ctx.database.db.selectFrom('core.rollup_dirty').select('period_code').distinct().orderBy('period_code').execute();
  return rows.map((r) => r.period_code);
}
