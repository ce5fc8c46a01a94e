// A catalogue sync rewrites what loads write under: it moves values to other unit versions and
// removes versions (src/catalog/move-values.ts, retire.ts). So a sync and the loads never overlap:
// loads share one advisory lock, a sync takes it exclusively, both until their transaction ends.
// An advisory lock, not a row lock on core.catalog_version: every load taking a row lock on one
// row would write that row each time.
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

const CATALOG_LOCK = 'dstats:catalog';

/**
 * For a load, as a column of its first statement: holds the lock shared until its transaction
 * ends. The load's later statements see whatever a sync committed before it.
 */
export const catalogLockShared = () => sql<unknown>`pg_advisory_xact_lock_shared(hashtext(${CATALOG_LOCK}))`;

/** For a sync, first: waits for the loads in flight, and keeps new ones waiting until it commits. */
export async function lockCatalogForSync(trx: Transaction<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${CATALOG_LOCK}))`.execute(trx);
}
