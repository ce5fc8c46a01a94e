// More memory for the sorts and hashes of a bulk load or rollup, for its transaction only (see
// DEFAULT_WORK_MEM in config.ts for why not for every statement).
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

/** From this many rows (staged values, claimed cells) a transaction counts as bulk. */
export const BULK_ROWS = 50_000;

export async function raiseWorkMemIfBulk(trx: Transaction<DB>, rows: number, workMem: string): Promise<void> {
  if (rows >= BULK_ROWS) await sql`SELECT set_config('work_mem', ${workMem}, true)`.execute(trx);
}
