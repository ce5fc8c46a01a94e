// The catalogue files are the truth for the units: a version they no longer have (an edition
// re-dated, so its versions have another first day, or withdrawn) is removed by `catalog sync`,
// once its values have gone to the versions of the files (move-values.ts). Left in place it would
// overlap its replacement, and every file of those units would be rejected as ambiguous. A
// version still holding values that no version in the files covers is not removed: the sync
// stops and says which, since there is no other unit to count them for.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { DstatsError } from '../errors.js';
import type { HeldVersion } from './move-values.js';
import type { UnitRecord } from './model.js';

/** Keys of the versions in the database that the files do not have (a version is its code and first day). */
export async function retiredVersions(trx: Transaction<DB>, units: readonly UnitRecord[]): Promise<number[]> {
  const inFiles = new Set(units.map((u) => `${u.code}@${u.validFrom}`));
  const rows = await trx.selectFrom('core.unit').select(['unit_key', 'code', 'valid_from']).execute();
  return rows.filter((r) => !inFiles.has(`${r.code}@${r.valid_from}`)).map((r) => r.unit_key);
}

/** Removes the retired versions; stops the sync (its transaction rolls back) if one still holds values. */
export async function removeRetiredVersions(trx: Transaction<DB>, retired: readonly number[], held: readonly HeldVersion[]): Promise<number> {
  if (held.length > 0) {
    const units = held.map((v) => `${v.code} (${v.name}, ${v.validFrom}): ${v.values} (${v.periods.join(', ')})`).join('; ');
    throw new DstatsError('CATALOG_UNIT_IN_USE', { units });
  }
  if (retired.length === 0) return 0;
  // Their children in the files are linked to the files' parents again afterwards (link_unit_parents.sql).
  await trx.updateTable('core.unit').set({ parent_key: null }).where(sql<boolean>`parent_key = ANY (${retired}::int[])`).execute();
  return Number((await trx.deleteFrom('core.unit').where(sql<boolean>`unit_key = ANY (${retired}::int[])`).executeTakeFirst()).numDeletedRows);
}
