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
  /** Current and staged values moved to another version of their unit. */
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
}

interface MoveRow {
  code: string;
  name: string;
  period_code: string;
  values: number;
  moved: boolean;
}

/** Moves every value held under a version that does not cover its period; returns what moved and what could not. */
export async function moveValuesToTheirVersion(trx: Transaction<DB>): Promise<{ moved: MovedValues; strays: StrayValues[] }> {
  const rows = (await runSql<MoveRow>(trx, 'catalog_move_values')).rows;

  const movedRows = rows.filter((r) => r.moved);
  const moved = {
    values: movedRows.reduce((sum, r) => sum + r.values, 0),
    units: new Set(movedRows.map((r) => r.code)).size,
    years: periodYears(movedRows.map((r) => r.period_code)) ?? [],
  };
  const strays = new Map<string, StrayValues>();
  for (const row of rows.filter((r) => !r.moved)) {
    const stray = strays.get(row.code) ?? { code: row.code, name: row.name, periods: [], values: 0 };
    stray.periods.push(row.period_code);
    stray.values += row.values;
    strays.set(row.code, stray);
  }
  return { moved, strays: [...strays.values()] };
}
