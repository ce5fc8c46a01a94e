// Stage 5, rollup: brings one year's derived figures up to date after loads, touching only what
// changed: claim the year's dirty cells, derive the longer periods that contain them (months →
// quarter → half → year, year to date), recompute their ancestors level by level from the wards
// up, and, for periods before the 2025 reorganisation, the new units' comparable series. Coalesced per year because a year's periods depend on each other; two workers never
// roll up the same year at once (advisory lock), and a failed transaction puts the claim back.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { runSql } from '../db/sql-file.js';
import type { StageContext } from '../pipeline/context.js';

export interface RollupResult {
  year: number;
  changed: number;
  derived: number;
  aggregated: number;
  comparable: number;
}

// Longer periods are derived from shorter ones, so the order matters.
const DERIVATION_ORDER = ['quarter', 'half', 'year', 'ytd'] as const;

async function createWorkTables(trx: Transaction<DB>) {
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_changed (
    unit_key integer, indicator_code text, period_code text, series text) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS derive_target (
    unit_key integer, indicator_code text, series text, period_code text) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_target (
    unit_key integer, indicator_code text, series text, period_code text, level smallint) ON COMMIT DROP`.execute(trx);
}

export async function rollupYear(ctx: StageContext, year: number): Promise<RollupResult> {
  const result = await ctx.database.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`dstats:rollup:${year}`}))`.execute(trx);
    await createWorkTables(trx);
    const claimed = await runSql(trx, 'rollup_claim', [year]);
    if (claimed.affected === 0) return { year, changed: 0, derived: 0, aggregated: 0, comparable: 0 };

    await runSql(trx, 'derive_targets');
    let derived = 0;
    for (const type of DERIVATION_ORDER) derived += (await runSql(trx, 'derive_periods', [type])).affected;

    await runSql(trx, 'rollup_targets');
    const levels = await sql<{ level: number }>`SELECT DISTINCT level FROM rollup_target ORDER BY level DESC`.execute(trx);
    let aggregated = 0;
    for (const { level } of levels.rows) aggregated += (await runSql(trx, 'rollup_level', [level])).affected;
    // Periods before a reorganisation also feed the new units' comparable series.
    const comparable = (await runSql(trx, 'crosswalk_comparable')).affected;
    return { year, changed: claimed.affected, derived, aggregated, comparable };
  });
  if (result.changed > 0) ctx.log.info(result, 'rollup done');
  return result;
}

/** Years with cells waiting for a rollup (one-pass runs and recovery). */
export async function dirtyYears(ctx: StageContext): Promise<number[]> {
  const rows = await ctx.database.db
    .selectFrom('core.rollup_dirty as d')
    .innerJoin('core.period as p', 'p.code', 'd.period_code')
    .select('p.year')
    .distinct()
    .orderBy('p.year')
    .execute();
  return rows.map((r) => r.year);
}
