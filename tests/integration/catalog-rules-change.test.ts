// A city edits the rules its computed figures follow (an indicator's aggregation, the crosswalk's
// weights) and runs `dstats catalog sync`: the next run rebuilds the derived figures under the new
// rules, and BI keeps the old ones until then. An indicator's change rebuilds that indicator only;
// a change of the crosswalk or the hierarchy rebuilds them all, in the years it applies to. A sync
// that changes no rule, or only adds an indicator, rebuilds nothing.
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import type { Database } from '../../src/db/connect.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { markForRebuild } from '../../src/rollup/rebuild.js';
import { useEditedCatalogs } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { dropFile } from '../helpers/drop-root.js';
import { computedValues, factValues, LONG_HEADER, useStageContext } from '../helpers/pipeline.js';

/** The shipped catalogue with the edits applied, removed after the tests. */
const editedCatalogDir = useEditedCatalogs('catalog-rules');

// QR_SCANS: summed across units and across periods.
const QR_SCANS_AS_SHIPPED = 'QR_SCANS,digital,Lượt quét mã QR,QR code scans,count,sum,,sum,';
// Gia Sàng (05461) was split between the new Phan Đình Phùng (05443) and the new Gia Sàng (05467), equally.
const GIA_SANG_TO_PHAN_DINH_PHUNG = '05461,Phường Gia Sàng,05443,Phường Phan Đình Phùng,partial,';
const GIA_SANG_TO_GIA_SANG = '05461,Phường Gia Sàng,05467,Phường Gia Sàng,partial,';
const NOTHING_MARKED = { indicators: [], indicatorYears: [], structureYears: [] };
const NEW_INDICATOR = 'CHATBOT_QUESTIONS,digital,Câu hỏi gửi trợ lý ảo,Questions put to the virtual assistant,count,sum,,sum,0,,higher,\n';

/** A unit's comparable budget revenue in a period, as BI reads it. */
const budgetComparable = async (database: Database, unit: string, period: string) =>
  (await database.db.selectFrom('mart.fact_comparable').select('value')
    .where('unit_code', '=', unit).where('indicator_code', '=', 'BUDGET_REVENUE').where('period_code', '=', period)
    .executeTakeFirst())?.value;

describe('a change of the catalogue rules rebuilds the computed figures', () => {
  const fixture = useStageContext('catalog-rules');

  const value = async (unit: string, indicator: string, period: string) =>
    (await factValues(fixture.database, { unit, indicator, period })).find((v) => v.series === 'actual')?.value;
  const comparable = (unit: string, period: string) => budgetComparable(fixture.database, unit, period);
  const marked = async () => ({
    pending: (await fixture.database.db.selectFrom('core.rollup_pending').select('year').execute()).length,
    rebuild: (await fixture.database.db.selectFrom('core.rollup_rebuild').select('year').orderBy('year').execute()).map((r) => r.year),
  });
  const computedRows = (indicator: string) => computedValues(fixture.database, indicator);
  async function run() {
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  }

  beforeAll(async () => {
    await dropFile(fixture.root, '164-TCKH', 'bao-cao.csv', [
      LONG_HEADER,
      '05440;QR_SCANS;202401;100;lượt;;',
      '05440;QR_SCANS;202402;110;lượt;;',
      '05440;QR_SCANS;202403;120;lượt;;',
      '05443;QR_SCANS;202401;200;lượt;;',
      '05440;BUDGET_REVENUE;2024S2;30;tỷ đồng;;',
      '05461;BUDGET_REVENUE;2024S2;10;tỷ đồng;;',
    ].join('\n') + '\n');
    await run();
  });

  it('starts from the shipped rules', async () => {
    expect(await value('05440', 'QR_SCANS', '2024Q1')).toBe('330');
    expect(await value('164', 'QR_SCANS', '202401')).toBe('300');
    expect(await comparable('05443', '2024S2')).toBe('35');
    expect(await comparable('05467', '2024S2')).toBe('5');
  });

  it('a sync that changes no rule marks nothing', async () => {
    const summary = await syncCatalog(fixture.database, await readCatalog());
    expect(summary.rebuild).toEqual(NOTHING_MARKED);
    expect(await marked()).toEqual({ pending: 0, rebuild: [] });
  });

  it('nor does a sync that adds an indicator, which has no values yet', async () => {
    const dir = await editedCatalogDir([{ file: 'indicators.csv', from: 'QR_SCANS,digital', to: `${NEW_INDICATOR}QR_SCANS,digital` }]);
    const summary = await syncCatalog(fixture.database, await readCatalog(dir));
    expect(summary.indicators).toBe((await readCatalog()).indicators.length + 1);
    expect(summary.rebuild).toEqual(NOTHING_MARKED);
    expect(await marked()).toEqual({ pending: 0, rebuild: [] });
  });

  it('an indicator no longer summed across units, taken from its last month, is rebuilt by the next run', async () => {
    const dir = await editedCatalogDir([
      { file: 'indicators.csv', from: QR_SCANS_AS_SHIPPED, to: 'QR_SCANS,digital,Lượt quét mã QR,QR code scans,count,none,,last,' },
    ]);
    const cli = await runCli(['catalog', 'sync', dir], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('rules changed: the next run recomputes the derived figures of QR_SCANS in 1 year(s): 2024');
    // No load is marked pending: the rebuild marks the year alone.
    expect(await marked()).toEqual({ pending: 0, rebuild: [2024] });
    const status = await runCli(['status', '--root', fixture.root], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
    const markedLine = status.stdout.split('\n').find((line) => line.startsWith('rollup waiting:'));
    expect(markedLine).toMatch(/^rollup waiting: 2024, rebuilt after a change of the catalogue's rules: 2024 \(QR_SCANS; marked (\S+)\)$/);
    // When the sync marked it, so an officer can tell a rebuild that no run has taken since.
    const markedAt = Date.parse(markedLine!.match(/marked (\S+)\)$/)![1]!);
    expect(Date.now() - markedAt).toBeGreaterThanOrEqual(0);
    expect(Date.now() - markedAt).toBeLessThan(10 * 60_000);
    // Until the run, BI keeps the figures of the old rules.
    expect(await value('164', 'QR_SCANS', '202401')).toBe('300');
    const budgetBefore = await computedRows('BUDGET_REVENUE');
    expect(budgetBefore.length).toBeGreaterThan(0);
    // A file loaded meanwhile (the same figure again) is rolled up in the same pass as the rebuild.
    await dropFile(fixture.root, '164-TCKH', 'bao-cao-bo-sung.csv', `${LONG_HEADER}\n05440;QR_SCANS;202401;100;lượt;;\n`);

    await run();
    expect(await value('05440', 'QR_SCANS', '2024Q1')).toBe('120');
    // Not aggregated any more: the city's rollup is gone, not left stale.
    expect(await value('164', 'QR_SCANS', '202401')).toBeUndefined();
    expect(await value('164', 'QR_SCANS', '2024Q1')).toBeUndefined();
    // Other indicators are not computed again: every row as it was, not even rewritten.
    expect(await computedRows('BUDGET_REVENUE')).toEqual(budgetBefore);
    expect(await value('164', 'BUDGET_REVENUE', '2024S2')).toBe('40');
    expect(await comparable('05443', '2024S2')).toBe('35');
    expect(await marked()).toEqual({ pending: 0, rebuild: [] });
  });

  it('new crosswalk weights are rebuilt into the comparable series, and the shipped rules restore every figure', async () => {
    const dir = await editedCatalogDir([
      { file: 'units/crosswalk-2025-07-01.csv', from: GIA_SANG_TO_PHAN_DINH_PHUNG, to: `${GIA_SANG_TO_PHAN_DINH_PHUNG}3` },
      { file: 'units/crosswalk-2025-07-01.csv', from: GIA_SANG_TO_GIA_SANG, to: `${GIA_SANG_TO_GIA_SANG}7` },
    ]);
    // Every year before the reorganisation (2025-07-01) has comparable series; this fixture has
    // values in 2024. The shipped QR_SCANS rules come back too (the test above changed them).
    expect((await syncCatalog(fixture.database, await readCatalog(dir))).rebuild)
      .toEqual({ indicators: ['QR_SCANS'], indicatorYears: [2024], structureYears: [2024] });
    const status = await runCli(['status', '--root', fixture.root], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
    expect(status.stdout).toMatch(/rollup waiting: 2024, rebuilt after a change of the catalogue's rules: 2024 \(every indicator; marked \S+\)\n/);
    await run();
    expect(await comparable('05443', '2024S2')).toBe('33'); // 30 + 10 × 0.3
    expect(await comparable('05467', '2024S2')).toBe('7');
    expect(await comparable('19', '2024S2')).toBe('40');

    expect((await syncCatalog(fixture.database, await readCatalog())).rebuild.structureYears).toEqual([2024]);
    await run();
    expect(await value('05440', 'QR_SCANS', '2024Q1')).toBe('330');
    expect(await value('164', 'QR_SCANS', '202401')).toBe('300');
    expect(await value('164', 'QR_SCANS', '2024Q1')).toBe('330');
    expect(await comparable('05443', '2024S2')).toBe('35');
  });
});

describe('a change of the hierarchy rebuilds only the years it applies to', () => {
  const fixture = useStageContext('catalog-rules-years');
  const budget = async (unit: string, period: string) =>
    (await factValues(fixture.database, { unit, indicator: 'BUDGET_REVENUE', period })).find((v) => v.series === 'actual');
  const comparable = (unit: string, period: string) => budgetComparable(fixture.database, unit, period);
  const computedIn = async (year: string) =>
    (await computedValues(fixture.database, 'BUDGET_REVENUE')).filter((row) => row.period_code.startsWith(year));

  beforeAll(async () => {
    await dropFile(fixture.root, '164-TCKH', 'bao-cao.csv', `${LONG_HEADER}\n05440;BUDGET_REVENUE;2024S2;30;tỷ đồng;;\n05461;BUDGET_REVENUE;2024S2;10;tỷ đồng;;\n`);
    // In 2025S2, 05443 means the new Phan Đình Phùng, directly under the province.
    await dropFile(fixture.root, '05443', 'bao-cao-2025S2.csv', `${LONG_HEADER}\n05443;BUDGET_REVENUE;2025S2;90;tỷ đồng;;\n`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  });

  it('a commune added to the 2025 edition rebuilds 2025 and leaves 2024 (and its comparable series) as it was', async () => {
    expect(await budget('19', '2025S2')).toMatchObject({ value: '90', expected_units: 92 });
    const before2024 = await computedIn('2024');
    expect(before2024.map((row) => row.kind)).toEqual(expect.arrayContaining(['aggregate', 'comparable']));

    const dir = await editedCatalogDir([]);
    await appendFile(path.join(dir, 'units/thai-nguyen-2025-07-01.csv'), '99901,Xã Thử Nghiệm,Xã,2,19\n');
    const cli = await runCli(['catalog', 'sync', dir], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('rules changed: the next run recomputes the derived figures of every indicator (the hierarchy or the crosswalk changed) in 1 year(s): 2025\n');
    expect(await fixture.database.db.selectFrom('core.rollup_rebuild').select(['year', 'indicator_codes']).execute())
      .toEqual([{ year: 2025, indicator_codes: null }]);

    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    // The province now expects one more commune in 2025; 2024's rows were not even rewritten.
    expect(await budget('19', '2025S2')).toMatchObject({ value: '90', expected_units: 93 });
    expect(await computedIn('2024')).toEqual(before2024);
  });

  it("a new ward moved to another province rebuilds the years before the reorganisation too: their comparable series follow it", async () => {
    expect(await comparable('19', '2024S2')).toBe('40');
    const dir = await editedCatalogDir([
      { file: 'units/thai-nguyen-2025-07-01.csv', from: '05467,Phường Gia Sàng,Phường,2,19', to: '05467,Phường Gia Sàng,Phường,2,99' },
      { file: 'units/thai-nguyen-2025-07-01.csv', from: '19,Tỉnh Thái Nguyên,Tỉnh,1,\n', to: '19,Tỉnh Thái Nguyên,Tỉnh,1,\n99,Tỉnh Thử Nghiệm,Tỉnh,1,\n' },
    ]);
    await appendFile(path.join(dir, 'units/thai-nguyen-2025-07-01.csv'), '99901,Xã Thử Nghiệm,Xã,2,19\n');
    expect((await syncCatalog(fixture.database, await readCatalog(dir))).rebuild).toEqual({ indicators: [], indicatorYears: [], structureYears: [2024, 2025] });
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    // Gia Sàng (05461) went half into 05467, now under the other province.
    expect(await comparable('19', '2024S2')).toBe('35');
    expect(await comparable('99', '2024S2')).toBe('5');
    expect(await budget('19', '2025S2')).toMatchObject({ value: '90', expected_units: 92 });
  });
});

describe('rebuild marks made before a run add up', () => {
  const fixture = useStageContext('catalog-rules-marks');
  const marks = async () =>
    (await fixture.database.db.selectFrom('core.rollup_rebuild').select(['year', 'indicator_codes']).orderBy('year').execute());

  beforeAll(async () => {
    await dropFile(fixture.root, '164-TCKH', 'bao-cao.csv', [
      LONG_HEADER,
      '05440;QR_SCANS;202312;90;lượt;;',
      '05440;QR_SCANS;202401;100;lượt;;',
      '05440;BUDGET_REVENUE;2024S2;30;tỷ đồng;;',
    ].join('\n') + '\n');
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  });

  it('each year with values of a marked indicator, the indicators merged, and every indicator once one mark says so', async () => {
    expect(await markForRebuild(fixture.database.db, ['BUDGET_REVENUE'])).toEqual([2024]);
    expect(await marks()).toEqual([{ year: 2024, indicator_codes: ['BUDGET_REVENUE'] }]);
    expect((await markForRebuild(fixture.database.db, ['QR_SCANS'])).sort()).toEqual([2023, 2024]);
    expect(await marks()).toEqual([
      { year: 2023, indicator_codes: ['QR_SCANS'] },
      { year: 2024, indicator_codes: ['BUDGET_REVENUE', 'QR_SCANS'] },
    ]);
    expect(await markForRebuild(fixture.database.db, ['POOR_HOUSEHOLD_RATE'])).toEqual([]);
    expect((await markForRebuild(fixture.database.db, null)).sort()).toEqual([2023, 2024]);
    await markForRebuild(fixture.database.db, ['QR_SCANS']);
    expect(await marks()).toEqual([
      { year: 2023, indicator_codes: null },
      { year: 2024, indicator_codes: null },
    ]);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await marks()).toEqual([]);
  });
});
