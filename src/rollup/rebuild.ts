// When the catalogue's rules change (an aggregation, a weight, the hierarchy, the crosswalk), the
// computed values the old rules made may be wrong, or no longer made at all: `catalog sync` marks
// every year with values for a rebuild, and each year's next rollup pass deletes its computed
// values and computes them all again, in its own transaction.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { yearBounds } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';

/** Marks every loaded submission pending and every year with values for a rebuild; returns those years. */
export async function markEverythingForRebuild(db: Kysely<DB>): Promise<number[]> {
  await runSql(db, 'rollup_mark_all');
  return (await runSql<{ year: number }>(db, 'rollup_mark_rebuild')).rows.map((r) => r.year);
}

/** In a rollup pass that holds `years`: deletes the computed values of those marked for a rebuild. */
export async function clearYearsToRebuild(trx: Transaction<DB>, years: readonly number[]): Promise<number[]> {
  if (years.length === 0) return [];
  const marked = await trx
    .selectFrom('core.rollup_rebuild')
    .select('year')
    .where('year', 'in', [...years])
    .orderBy('year')
    .execute();
  for (const { year } of marked) await runSql(trx, 'rollup_rebuild_year', [year, ...yearBounds([year])]);
  return marked.map((r) => r.year);
}
