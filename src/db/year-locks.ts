// A year's values are written by loads (reported values) and by rollup passes (derived and
// rolled-up values), and the value tables keep the precedence between them as they are written
// (migration 012): a load removes the derived and rolled-up values of the cells it reports, a
// rollup writes none where a better value exists. A rollup statement computes from what it saw
// when it started, so a load committing in the middle of a pass of its year would see no derived
// value to remove, and the pass would then write one beside the reported value. Hence: a rollup
// pass holds its years exclusively, loads share them. Both take them in ascending order, so they
// cannot deadlock on each other, and each in statements of their own before their writes: a
// statement's snapshot is taken when it starts, so a lock it waited for inside would not show it
// what the other side committed meanwhile.
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

const YEAR_LOCK = 'dstats:rollup';

const ascending = (years: readonly number[]) => [...new Set(years)].sort((a, b) => a - b);

/** For a rollup pass: no load and no other pass writes these years until the transaction ends. */
export async function lockYearsForRollup(trx: Transaction<DB>, years: readonly number[]): Promise<void> {
  for (const year of ascending(years)) await sql`SELECT pg_advisory_xact_lock(hashtext(${YEAR_LOCK}), ${year}::int)`.execute(trx);
}

/**
 * For a load: waits for a rollup pass of these years to end, and keeps new ones out until the
 * transaction ends. Loads share their years, unless `exclusive`: a bulk load keeps other loads out
 * as well, so that it can write the first current values of a year without the upsert's conflict
 * check (load_submission.sql).
 */
export async function lockYearsForLoad(trx: Transaction<DB>, years: readonly number[], exclusive = false): Promise<void> {
  if (exclusive) return lockYearsForRollup(trx, years);
  for (const year of ascending(years)) await sql`SELECT pg_advisory_xact_lock_shared(hashtext(${YEAR_LOCK}), ${year}::int)`.execute(trx);
}
