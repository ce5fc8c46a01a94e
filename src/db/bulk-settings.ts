// Planner settings of a bulk load or rollup, for its transaction only.
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

/** From this many rows (staged values, claimed cells) a transaction counts as bulk. */
export const BULK_ROWS = 50_000;

/**
 * A year's value partitions are read in key order (merge joins over their primary keys), and their
 * rows were written in about that order, so an index scan reads their pages nearly in sequence,
 * mostly from cache. The default random_page_cost (4, for spinning disks) prices it as random
 * reads: once a corrected file has doubled a year's current-value pages, the planner sorted the
 * whole year's values for each join instead (`rollup_level.sql` 13.9 s against 6.5 s for the
 * 1,000,000-value file's rollup; docs/performance.md).
 */
const BULK_RANDOM_PAGE_COST = '1.1';

/**
 * More memory for its sorts and hashes (see DEFAULT_WORK_MEM in config.ts for why not for every
 * statement), index scans priced for cached, nearly sequential pages, and no Memoize: the work
 * tables' keys are all distinct, but the planner cannot know it and put a cache with no hits in
 * front of tens of thousands of index probes (auto_explain of a year's rollup: 0 hits in 86,304
 * lookups; without it, the rollup of 200,000 values took 8 % less).
 */
export async function applyBulkSettings(trx: Transaction<DB>, rows: number, workMem: string): Promise<void> {
  if (rows < BULK_ROWS) return;
  await sql`SELECT set_config('work_mem', ${workMem}, true), set_config('enable_memoize', 'off', true),
                   set_config('random_page_cost', ${BULK_RANDOM_PAGE_COST}, true)`.execute(trx);
}

/**
 * Runs one statement with hash joins only (no merge joins, no nested loops), then puts the
 * settings back. For a year's comparable series (crosswalk_comparable.sql) the planner sorted the
 * cells' old-unit terms (102,486 for a year of the bench's warehouse) to merge them with the year's
 * values in key order, a sort over three text columns that was a quarter of the statement
 * (auto_explain: about 110 of 426 ms); with merge joins off alone, it took the terms for 6,888
 * (the validity and period conditions) and probed the year's cell index once per term instead
 * (auto_explain: up to 2.1 s). The derivation's targets (derive_targets.sql) sorted the year's
 * reported periods the same way for a grouping. A failure aborts the transaction, which takes the
 * settings back with it.
 */
export async function withHashJoinsOnly<T>(trx: Transaction<DB>, run: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{ merge: string; nested: string }>`
    SELECT current_setting('enable_mergejoin') AS merge, current_setting('enable_nestloop') AS nested,
           set_config('enable_mergejoin', 'off', true), set_config('enable_nestloop', 'off', true)`.execute(trx);
  const result = await run();
  await sql`SELECT set_config('enable_mergejoin', ${rows[0]!.merge}, true), set_config('enable_nestloop', ${rows[0]!.nested}, true)`.execute(trx);
  return result;
}
