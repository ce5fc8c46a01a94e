// The whole warehouse rolled up again. In place (markEverythingForRollup: the bench's full
// rollup), or rebuilt: when the catalogue's rules change (an aggregation, a weight, the
// hierarchy, the crosswalk), the computed values the old rules made may be wrong, or no longer
// made at all, so `catalog sync` marks every year with values for a rebuild, and each year's next
// rollup pass deletes its computed values and computes them all again, in its own transaction.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { yearBounds } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';

/** Marks every loaded submission for a rollup of each year it has values in: the next rollup recomputes every cell. */
export async function markEverythingForRollup(db: Kysely<DB>): Promise<void> {
  await runSql(db, 'rollup_mark_all');
}

/** markEverythingForRollup, and every year with values marked for a rebuild; returns those years. */
export async function markEverythingForRebuild(db: Kysely<DB>): Promise<number[]> {
  await markEverythingForRollup(db);
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
