// A rollup pass of 5,000 or more changed cells plans some of its statements differently (more
// memory, hash joins only: src/db/bulk-settings.ts, src/rollup/rollup.ts). A plan must never
// change a figure: the same file rolled up in one bulk pass, and sent as one file per indicator
// rolled up in small passes, gives the same derived, rolled-up and comparable values.
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { loadSubmission } from '../../src/load/load-submission.js';
import { SERIES_CODES } from '../../src/normalise/vocabulary.js';
import { rollupPending } from '../../src/rollup/rollup.js';
import { WARDS_OF_CITY } from '../helpers/city-units.js';
import { computedValues, stageFile, useStageContext, type StageFixture } from '../helpers/pipeline.js';

// Summed across units (so the new units' comparable series too); the first six also across
// periods, the last two taken from the period's last month.
const INDICATORS = ['BUDGET_REVENUE', 'PUBLIC_INVESTMENT_DISBURSED', 'ADMIN_REFORM_SPENDING', 'PRODUCTION_VALUE_TOTAL',
  'PRODUCTION_VALUE_SERVICES', 'QR_SCANS', 'POPULATION', 'QR_POINTS'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2024${String(i + 1).padStart(2, '0')}`);
const HEADER = 'unit_code,indicator_code,period,series,value';

/** One row per ward, month and series of each indicator: 1,152 cells an indicator. */
function rowsOf(indicator: string): string[] {
  const offset = INDICATORS.indexOf(indicator) * 1_000;
  return WARDS_OF_CITY.flatMap((unit, u) => MONTHS.flatMap((month, m) => SERIES_CODES.map((series, s) =>
    `${unit},${indicator},${month},${series},${(((offset + u * 97 + m * 13 + s * 7) % 1_000) + 1) / 10}`)));
}

async function loadAndRollUp(fixture: StageFixture, name: string, rows: string[]) {
  const id = await stageFile(fixture, '164-TCKH', name, [HEADER, ...rows].join('\n') + '\n');
  expect((await loadSubmission(fixture.ctx, id)).outcome).toBe('loaded');
  return rollupPending(fixture.ctx);
}

/** Every computed value without its row version, which differs between two databases. */
const computedFigures = async (database: Database) => (await computedValues(database)).map(({ version: _, ...figure }) => figure);

describe('bulk and small rollup passes', () => {
  const bulk = useStageContext('rollup-bulk');
  const small = useStageContext('rollup-small');

  it('compute the same figures', async () => {
    const all = INDICATORS.flatMap(rowsOf);
    const bulkPass = await loadAndRollUp(bulk, 'so-lieu-2024.csv', all);
    expect(bulkPass.changed).toBe(9_216);

    for (const indicator of INDICATORS) {
      const smallPass = await loadAndRollUp(small, `so-lieu-2024-${indicator.toLowerCase()}.csv`, rowsOf(indicator));
      expect(smallPass.changed).toBe(1_152);
    }

    const expected = await computedFigures(small.database);
    const kinds = new Map<string, number>();
    for (const row of expected) kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + 1);
    // Enough of each for a bulk pass's plans: more than 5,000 comparable cells (8 new units ×
    // 8 indicators × 3 series × 31 periods of 2024), derived periods, and the city's and the province's cells.
    expect(kinds.get('comparable')).toBeGreaterThan(5_000);
    expect(kinds.get('derived')).toBeGreaterThan(5_000);
    expect(kinds.get('aggregate')).toBeGreaterThan(1_000);
    expect(await computedFigures(bulk.database)).toEqual(expected);
  });
});
