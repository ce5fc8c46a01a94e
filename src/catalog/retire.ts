// The catalogue files are the truth: `catalog sync` removes what they no longer have, as it adds
// and updates what they have.
// * A unit version (its code and first day) goes once its values have gone to the versions of the
//   files (move-values.ts), and the history left under it (a withdrawn file's) with them. Left
//   in place, a version of an edition whose first day changed would overlap its replacement, and
//   every file of those units would be rejected as ambiguous.
// * An indicator with no values goes, and files with it are then rejected as unknown.
// * Crosswalk rows, targets and forms go; nothing is stored under them.
// A unit version or an indicator that still holds values is not removed: the sync stops and says
// which (its transaction rolls back), since those values would have nothing to count for.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { runSql } from '../db/sql-file.js';
import { DstatsError } from '../errors.js';
import { idList, periodList, yearSpan } from '../report/spans.js';
import type { HeldVersion } from './move-values.js';
import type { Catalog, UnitRecord } from './model.js';

export interface Removed {
  unitVersions: number;
  indicators: number;
  crosswalkRows: number;
  targets: number;
  forms: number;
}

/** Keys of the unit versions in the database that the files do not have. */
export async function retiredVersions(trx: Transaction<DB>, units: readonly UnitRecord[]): Promise<number[]> {
  const inFiles = new Set(units.map((u) => `${u.code}@${u.validFrom}`));
  const rows = await trx.selectFrom('core.unit').select(['unit_key', 'code', 'valid_from']).execute();
  return rows.filter((r) => !inFiles.has(`${r.code}@${r.valid_from}`)).map((r) => r.unit_key);
}

/** Removes the retired unit versions; stops the sync if one still holds values (`held`, from move-values.ts). */
export async function removeRetiredVersions(trx: Transaction<DB>, retired: readonly number[], held: readonly HeldVersion[]): Promise<number> {
  if (held.length > 0) {
    const units = held.map((v) => `${v.code} (${v.name}, ${v.validFrom}): ${v.values} (${periodList(v.periods)}; submission(s) ${idList(v.submissions)})`).join('; ');
    throw new DstatsError('CATALOG_UNIT_IN_USE', { units });
  }
  if (retired.length === 0) return 0;
  await runSql(trx, 'catalog_retire_history', [retired]);
  // Their children in the files are linked to the files' parents again afterwards (link_unit_parents.sql).
  await trx.updateTable('core.unit').set({ parent_key: null }).where(sql<boolean>`parent_key = ANY (${retired}::int[])`).execute();
  return Number((await trx.deleteFrom('core.unit').where(sql<boolean>`unit_key = ANY (${retired}::int[])`).executeTakeFirst()).numDeletedRows);
}

/** Removes the crosswalk rows, targets, forms and indicators the files do not have; stops the sync if such an indicator has values. */
export async function removeRowsNotInFiles(trx: Transaction<DB>, catalog: Catalog): Promise<Omit<Removed, 'unitVersions'>> {
  const { crosswalk, targets } = catalog;
  const crosswalkRows = (await runSql(trx, 'catalog_retire_crosswalk', [crosswalk.map((r) => r.oldCode), crosswalk.map((r) => r.newCode), crosswalk.map((r) => r.effectiveDate)])).affected;
  const targetRows = (await runSql(trx, 'catalog_retire_targets', [
    targets.map((t) => t.unitCode), targets.map((t) => t.indicatorCode), targets.map((t) => t.metric), targets.map((t) => t.deadlinePeriod),
  ])).affected;
  const formIds = catalog.forms.map((f) => f.formId);
  const forms = Number((await trx.deleteFrom('core.form').where(sql<boolean>`form_id <> ALL (${formIds}::text[])`).executeTakeFirst()).numDeletedRows);
  return { crosswalkRows, targets: targetRows, forms, indicators: await removeIndicatorsNotInFiles(trx, catalog) };
}

async function removeIndicatorsNotInFiles(trx: Transaction<DB>, catalog: Catalog): Promise<number> {
  const codes = catalog.indicators.map((i) => i.code);
  const retired = await trx.selectFrom('core.indicator').select('code').where(sql<boolean>`code <> ALL (${codes}::text[])`).execute();
  if (retired.length === 0) return 0;
  const { rows: held } = await runSql<{ code: string; years: number[] }>(trx, 'catalog_indicators_in_use', [retired.map((r) => r.code)]);
  if (held.length > 0) throw new DstatsError('CATALOG_INDICATOR_IN_USE', { indicators: held.map((h) => `${h.code} (${yearSpan(h.years)})`).join('; ') });
  const gone = retired.map((r) => r.code);
  return Number((await trx.deleteFrom('core.indicator').where(sql<boolean>`code = ANY (${gone}::text[])`).executeTakeFirst()).numDeletedRows);
}
