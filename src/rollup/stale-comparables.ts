// The comparable series of a split old unit, computed again when its shares change. A partially
// split old unit is shared among its new units by the population each last reported: that
// population belongs to a year after the reorganisation, the series it shares out to the years
// before it. So the pass that rolls up a new unit's population marks those years
// (core.comparable_stale), and each of them is rolled up again by its own pass, under its own year
// lock, in the same rollup (rollup.ts runs another round).
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { runSql } from '../db/sql-file.js';

/** In a pass, after its changed cells are known: marks the years whose series the changed populations reshare; returns the marks made. */
export async function markStaleComparables(trx: Transaction<DB>): Promise<number> {
  return (await runSql(trx, 'crosswalk_mark_stale')).affected;
}

/** In a pass that holds `years`: takes their marks and adds the old units' cells to rollup_changed. */
export async function claimStaleComparables(trx: Transaction<DB>, years: readonly number[]): Promise<{ years: number[]; cells: number }> {
  const { rows } = await runSql<{ years: number[]; cells: number }>(trx, 'crosswalk_claim_stale', [years[0], years.at(-1)! + 1]);
  return rows[0]!;
}
