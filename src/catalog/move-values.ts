// Values stay with the unit they were reported for when `catalog sync` changes the editions. A
// value is stored under the unit version valid on its period's last day when it was checked; a
// new edition published after its first months were reported closes that version before them, and
// no rollup would count them any more (rollup_children.sql asks for the children valid then). So
// every sync moves such values to the version of the same code valid then
// (catalog_move_values.sql). Those whose code the catalogue has no unit for in their period stay as
// they are, in no rollup, and every sync names them.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { periodYears } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';

export interface MovedValues {
  /** Current values moved to another version of their unit (their history moves with them). */
  values: number;
  units: number;
  years: number[];
}

/** A unit whose values the catalogue leaves without a unit in their period: kept as loaded, in no rollup. */
export interface StrayValues {
  code: string;
  name: string;
  periods: string[];
  values: number;
  /** The submissions holding them, ascending: withdrawing those (src/withdraw/) takes them out. */
  submissions: string[];
}

/** A version the files no longer have, with values no other version of its code covers. */
export interface HeldVersion extends StrayValues {
  validFrom: string;
}

interface MoveRow {
  unit_key: number;
  code: string;
  name: string;
  valid_from: string;
  period_code: string;
  values: number;
  submissions: string[];
  moved: boolean;
}

/**
 * Moves every value held under a version that does not cover its period, or under one of
 * `retired` (versions the files no longer have), to the version of its code valid then; returns
 * what moved, what could not, and the retired versions that still hold values.
 */
export async function moveValuesToTheirVersion(
  trx: Transaction<DB>,
  retired: readonly number[],
): Promise<{ moved: MovedValues; strays: StrayValues[]; held: HeldVersion[] }> {
  const rows = (await runSql<MoveRow>(trx, 'catalog_move_values', [retired])).rows;

  const movedRows = rows.filter((r) => r.moved);
  const moved = {
    values: movedRows.reduce((sum, r) => sum + r.values, 0),
    units: new Set(movedRows.map((r) => r.code)).size,
    years: periodYears(movedRows.map((r) => r.period_code)) ?? [],
  };
  const isRetired = new Set(retired);
  const strays = new Map<string, StrayValues>();
  const held = new Map<number, HeldVersion>();
  for (const row of rows.filter((r) => !r.moved)) {
    const unmoved = isRetired.has(row.unit_key)
      ? entryOf(held, row.unit_key, () => ({ code: row.code, name: row.name, validFrom: row.valid_from, periods: [], values: 0, submissions: [] }))
      : entryOf(strays, row.code, () => ({ code: row.code, name: row.name, periods: [], values: 0, submissions: [] }));
    unmoved.periods.push(row.period_code);
    unmoved.values += row.values;
    unmoved.submissions.push(...row.submissions);
  }
  const bySubmissions = <T extends StrayValues>(entry: T): T => ({ ...entry, submissions: ascendingIds(entry.submissions) });
  return { moved, strays: [...strays.values()].map(bySubmissions), held: [...held.values()].map(bySubmissions) };
}

const ascendingIds = (ids: readonly string[]) => [...new Set(ids)].sort((a, b) => Number(a) - Number(b));

function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
