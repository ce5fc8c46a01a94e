// A source may report only for the units its scope allows (SPEC §3), and normalise rejects a row
// about another unit. A sync can change what the scope allows after values were loaded: a unit
// moved under another parent, values moved to a new edition's version of their unit
// (move-values.ts), a source's scope narrowed. Those values stay as loaded, and the sync that
// changed it names them, with the submissions that hold them, to be withdrawn if they no longer
// hold (src/withdraw/).
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { EVERY_YEAR, yearBounds } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';

export interface ValuesOutsideScope {
  sourceId: string;
  code: string;
  name: string;
  periods: string[];
  values: number;
  /** ascending */
  submissions: string[];
}

type Scopes = Map<string, string>;

/** Each source's scope ('descendants:164'), to tell after the upsert whether one changed. */
export async function sourceScopes(trx: Transaction<DB>): Promise<Scopes> {
  const rows = await trx.selectFrom('core.source').select(['source_id', 'scope', 'scope_unit_code']).execute();
  return new Map(rows.map((r) => [r.source_id, `${r.scope}:${r.scope_unit_code}`]));
}

/**
 * The values in force their source may no longer report for, after the sync's changes: in every
 * year when a source that was there before has another scope now, else in `changedYears` (whose
 * hierarchy changed or whose values moved).
 */
export async function valuesOutsideScope(trx: Transaction<DB>, before: Scopes, changedYears: readonly number[]): Promise<ValuesOutsideScope[]> {
  const after = await sourceScopes(trx);
  const scopeChanged = [...before].some(([source, scope]) => after.get(source) !== scope);
  if (!scopeChanged && changedYears.length === 0) return [];
  const bounds = scopeChanged ? EVERY_YEAR : yearBounds(changedYears);
  const { rows } = await runSql<{ source_id: string; code: string; name: string; periods: string[]; values: number; submissions: string[] }>(
    trx, 'catalog_values_outside_scope', bounds,
  );
  return rows.map((r) => ({ sourceId: r.source_id, code: r.code, name: r.name, periods: r.periods, values: r.values, submissions: r.submissions }));
}
