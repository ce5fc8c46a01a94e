// A rollup writes a computed value (derived period, ancestor, comparable series) only when it
// changed: a full rollup of an unchanged warehouse rewrites nothing, a corrected month rewrites
// only what it feeds, and a full rollup after a rule change still recomputes every ancestor.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { markEverythingForRollup } from '../../src/rollup/rebuild.js';
import { rollupPending } from '../../src/rollup/rollup.js';
import { dropFile } from '../helpers/drop-root.js';
import { computedValues, factValues, LONG_HEADER, useStageContext, type ComputedRow } from '../helpers/pipeline.js';

describe('a rollup rewrites only the computed values that changed', () => {
  const fixture = useStageContext('rollup-unchanged');
  let n = 0;

  async function submit(rows: string[]) {
    await dropFile(fixture.root, '164-TCKH', `bao-cao-${++n}.csv`, [LONG_HEADER, ...rows].join('\n') + '\n');
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  }

  const computed = () => computedValues(fixture.database, 'BUDGET_REVENUE');
  const find = (rows: ComputedRow[], kind: string, unit: string, period: string) =>
    rows.find((r) => r.kind === kind && r.unit_code === unit && r.period_code === period);

  // Gia Sàng (05461) was split between the new Phan Đình Phùng (05443) and the new Gia Sàng (05467).
  const MONTHS = (first: number) => [
    `05440;BUDGET_REVENUE;202407;${first};tỷ đồng;;`,
    '05440;BUDGET_REVENUE;202408;11;tỷ đồng;;',
    '05440;BUDGET_REVENUE;202409;12;tỷ đồng;;',
    '05461;BUDGET_REVENUE;202407;4;tỷ đồng;;',
    '05461;BUDGET_REVENUE;202408;5;tỷ đồng;;',
    '05461;BUDGET_REVENUE;202409;6;tỷ đồng;;',
  ];

  beforeAll(async () => {
    await submit(MONTHS(10));
  });

  it('computes every kind of value the test relies on', async () => {
    const rows = await computed();
    expect(find(rows, 'derived', '05440', '2024Q3')?.value).toBe('33');
    expect(find(rows, 'aggregate', '164', '2024Q3')?.value).toBe('48');
    expect(find(rows, 'comparable', '05443', '2024Q3')?.value).toBe('40.5'); // 33 + 15 / 2
    expect(find(rows, 'comparable', '05467', '2024Q3')?.value).toBe('7.5');
    expect(find(rows, 'comparable', '19', '2024Q3')?.value).toBe('48.0'); // a sum keeps its terms' scale
  });

  it('a full rollup of an unchanged warehouse writes no computed value again', async () => {
    const before = await computed();
    await markEverythingForRollup(fixture.database.db);
    const result = await rollupPending(fixture.ctx);
    expect(result.changed).toBeGreaterThan(0);
    expect(result).toMatchObject({ years: [2024], derived: 0, aggregated: 0, comparable: 0 });
    expect(await computed()).toEqual(before);
  });

  it('a corrected month rewrites what it feeds and nothing else', async () => {
    const before = await computed();
    await submit(MONTHS(20));
    const after = await computed();
    expect(after.map((r) => [r.kind, r.unit_code, r.period_code])).toEqual(before.map((r) => [r.kind, r.unit_code, r.period_code]));
    const rewritten = after.filter((r, i) => r.version !== before[i]!.version).map((r) => `${r.kind} ${r.unit_code} ${r.period_code} ${r.value}`);
    expect(rewritten).toContain('derived 05440 2024Q3 43');
    expect(rewritten).toContain('aggregate 164 2024Q3 58');
    expect(rewritten).toContain('comparable 05443 2024Q3 50.5');
    expect(rewritten).toContain('comparable 19 2024Q3 58.0');
    // Gia Sàng's own figures and the new Gia Sàng's share of them did not change.
    expect(rewritten.filter((r) => r.includes(' 05461 ') || r.includes(' 05467 '))).toEqual([]);
    expect(rewritten.filter((r) => r.includes('202408') || r.includes('202409'))).toEqual([]);
  });

  it('a full rollup after a rule change recomputes the ancestors of unchanged children', async () => {
    // The wards' quarters stay as they are (still the sum of their months), but the city now counts
    // the wards that reported instead of summing them: its quarter must change all the same.
    await sql`UPDATE core.indicator SET aggregation = 'count_true' WHERE code = 'BUDGET_REVENUE'`.execute(fixture.database.db);
    try {
      const before = await computed();
      await markEverythingForRollup(fixture.database.db);
      expect(await rollupPending(fixture.ctx)).toMatchObject({ derived: 0 });
      const rows = await computed();
      expect(find(rows, 'derived', '05440', '2024Q3')).toEqual(find(before, 'derived', '05440', '2024Q3'));
      expect(find(rows, 'aggregate', '164', '2024Q3')?.value).toBe('2');
      expect(find(rows, 'aggregate', '19', '2024Q3')?.value).toBe('2');
      expect((await factValues(fixture.database, { unit: '164', indicator: 'BUDGET_REVENUE', period: '202409' }))[0]?.value).toBe('2');
    } finally {
      await sql`UPDATE core.indicator SET aggregation = 'sum' WHERE code = 'BUDGET_REVENUE'`.execute(fixture.database.db);
    }
  });
});
