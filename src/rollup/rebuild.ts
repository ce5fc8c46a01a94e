// The warehouse's computed values made again. In place (markEverythingForRollup: the bench's full
// rollup), or rebuilt: when the catalogue's rules change (an aggregation, a weight, the hierarchy,
// the crosswalk), the computed values the old rules made may be wrong, or no longer made at all,
// so `catalog sync` marks each year with values of the indicators concerned (all of them in a year
// whose hierarchy or crosswalk changed), and that year's next rollup pass deletes those
// indicators' computed values and computes them all again from their current values, in its own
// transaction.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { yearBounds } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';

/** Marks every loaded submission for a rollup of each year it has values in: the next rollup recomputes every cell. */
export async function markEverythingForRollup(db: Kysely<DB>): Promise<void> {
  await runSql(db, 'rollup_mark_all');
}

/**
 * Marks every year (of `years`; null: any) with values of `indicators` (null: of any) for a rebuild
 * by its next rollup; returns those years, in order.
 */
export async function markForRebuild(db: Kysely<DB>, indicators: readonly string[] | null, years: readonly number[] | null = null): Promise<number[]> {
  return (await runSql<{ year: number }>(db, 'rollup_mark_rebuild', [indicators, years])).rows.map((r) => r.year).sort((a, b) => a - b);
}

export interface RebuildMark {
  year: number;
  /** null: every indicator */
  indicator_codes: string[] | null;
}

/** In a rollup pass that holds `years`: takes their rebuild marks (a failed pass puts them back). */
export async function claimRebuildMarks(trx: Transaction<DB>, years: readonly number[]): Promise<RebuildMark[]> {
  return (await runSql<RebuildMark>(trx, 'rollup_rebuild_claim', [years[0], years.at(-1)! + 1])).rows;
}

/**
 * Deletes the marked indicators' computed values and adds their current cells to the pass's
 * changed cells (rollup_changed, after the claimed loads' cells); returns the cells added.
 */
export async function rebuildMarkedYears(trx: Transaction<DB>, marks: readonly RebuildMark[]): Promise<number> {
  let cells = 0;
  for (const mark of marks) cells += (await runSql(trx, 'rollup_rebuild_year', [...yearBounds([mark.year]), mark.indicator_codes])).affected;
  return cells;
}
