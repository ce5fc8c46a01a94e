// SPEC §6 through the public stages: aggregation rules across units, derivation across periods,
// resolution targets, completeness, the 2025 crosswalk, and incremental recomputation.
import { beforeAll, describe, expect, it } from 'vitest';
import { utimes } from 'node:fs/promises';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropFile } from '../helpers/drop-root.js';
import { cellsWithTwoValues, factValues, LONG_HEADER, useStageContext } from '../helpers/pipeline.js';

describe('rollups a statistician can sign', () => {
  const fixture = useStageContext('rollups');
  let n = 0;

  /** Drops one long-format file from a source (rows: unit;indicator;period;value;uom;series;status) and runs a pass. */
  async function submit(source: string, rows: string[]) {
    await dropFile(fixture.root, source, `bao-cao-${++n}.csv`, [LONG_HEADER, ...rows].join('\n') + '\n');
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    const last = await fixture.database.db.selectFrom('core.submission').select(['state', 'first_problem']).orderBy('submission_id', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ state: 'loaded', first_problem: null });
  }
  const value = async (unit: string, indicator: string, period: string, series = 'actual') =>
    (await factValues(fixture.database, { unit, indicator, period })).find((v) => v.series === series);

  describe('across periods', () => {
    beforeAll(async () => {
      const months = ['202201', '202202', '202203', '202204', '202205', '202206'];
      await submit('164-VHTT', [
        ...months.map((m, i) => `05440;QR_SCANS;${m};${1000 + i};lượt;;`),
        ...months.slice(0, 3).map((m, i) => `05440;QR_POINTS;${m};${100 + i * 10};điểm;;`),
        ...months.map((m, i) => `05443;QR_SCANS;${m};${2000 + i};lượt;;sơ bộ`),
      ]);
    });

    it('derives quarters, the half and year-to-date of a flow by summing every month', async () => {
      expect(await value('05440', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '3003', is_derived: true, derivation: 'periods' });
      expect(await value('05440', 'QR_SCANS', '2022Q2')).toMatchObject({ value: '3012' });
      expect(await value('05440', 'QR_SCANS', '2022S1')).toMatchObject({ value: '6015' });
      expect(await value('05440', 'QR_SCANS', '2022YTD04')).toMatchObject({ value: '4006' });
      // The second half is missing: no year, never a partial sum.
      expect(await value('05440', 'QR_SCANS', '2022')).toBeUndefined();
      expect(await value('05440', 'QR_SCANS', '2022YTD07')).toBeUndefined();
    });

    it('derives a stock from its last month only', async () => {
      expect(await value('05440', 'QR_POINTS', '2022Q1')).toMatchObject({ value: '120' });
      expect(await value('05440', 'QR_POINTS', '2022S1')).toBeUndefined();
      expect(await value('05440', 'QR_POINTS', '2022YTD02')).toMatchObject({ value: '110', derivation: 'periods' });
    });

    it('takes a stock\'s year to date from the part that ends last, whichever parts were reported', async () => {
      // No months: year to date from the first half and the third quarter, which ends later.
      await submit('164-VHTT', ['05443;QR_POINTS;2022S1;150;điểm;;', '05443;QR_POINTS;2022Q3;170;điểm;;sơ bộ']);
      expect(await value('05443', 'QR_POINTS', '2022YTD06')).toMatchObject({ value: '150', status: 'official', derivation: 'periods' });
      expect(await value('05443', 'QR_POINTS', '2022YTD09')).toMatchObject({ value: '170', status: 'preliminary', derivation: 'periods' });
    });

    it('keeps the weakest status and rolls derived periods up the units', async () => {
      expect(await value('05443', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '6003', status: 'preliminary' });
      expect(await value('164', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '9006', status: 'preliminary', derivation: 'units', reporting_units: 2 });
    });

    it('lets a reported value win over a derived one, and derives on from it', async () => {
      await submit('164-VHTT', ['05440;QR_SCANS;2022Q2;3100;lượt;;']);
      expect(await value('05440', 'QR_SCANS', '2022Q2')).toMatchObject({ value: '3100', is_derived: false, derivation: 'reported' });
      expect(await value('05440', 'QR_SCANS', '2022S1')).toMatchObject({ value: '6103', derivation: 'periods' });
      expect(await value('164', 'QR_SCANS', '2022S1')).toMatchObject({ value: '18118' }); // 6103 + 12015
      // The year to June is the first half, not the months (which sum to 6015).
      expect(await value('05440', 'QR_SCANS', '2022YTD06')).toMatchObject({ value: '6103', derivation: 'periods' });
      expect(await cellsWithTwoValues(fixture.database)).toEqual([]);
    });

    // Found by exploratory testing: twelve estimated months made the year to December 1,200
    // beside the reported official year of 1,300.
    it('takes a year to date that spans a reported quarter, half or year from it, not from the months', async () => {
      const months = Array.from({ length: 12 }, (_, i) => `05446;QR_SCANS;2020${String(i + 1).padStart(2, '0')};100;lượt;;ước`);
      await submit('164-VHTT', months);
      expect(await value('05446', 'QR_SCANS', '2020YTD12')).toMatchObject({ value: '1200', status: 'estimate' });
      await submit('164-VHTT', ['05446;QR_SCANS;2020S1;650;lượt;;chính thức', '05446;QR_SCANS;2020Q3;320;lượt;;chính thức', '05446;QR_SCANS;2020;1300;lượt;;chính thức']);
      expect(await value('05446', 'QR_SCANS', '2020YTD03')).toMatchObject({ value: '300', status: 'estimate' });
      expect(await value('05446', 'QR_SCANS', '2020YTD05')).toMatchObject({ value: '500', status: 'estimate' });
      expect(await value('05446', 'QR_SCANS', '2020YTD06')).toMatchObject({ value: '650', status: 'official' });
      expect(await value('05446', 'QR_SCANS', '2020YTD09')).toMatchObject({ value: '970', status: 'official' });
      expect(await value('05446', 'QR_SCANS', '2020YTD12')).toMatchObject({ value: '1300', status: 'official' });
    });

    it('lets a city\'s own figures win over the rollup of its wards, at every level above', async () => {
      expect(await value('164', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '9006', derivation: 'units' });
      // The city reports its own months: its quarter is derived from them, no longer rolled up.
      await submit('164-VHTT', ['164;QR_SCANS;202201;4000;lượt;;', '164;QR_SCANS;202202;4001;lượt;;', '164;QR_SCANS;202203;4002;lượt;;']);
      expect(await value('164', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '12003', derivation: 'periods' });
      expect(await value('19', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '12003', derivation: 'units' });
      // A ward's month changes: the city's quarter stays derived from its own months.
      await submit('164-VHTT', ['05440;QR_SCANS;202201;1500;lượt;;']);
      expect(await value('05440', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '3503', derivation: 'periods' });
      expect(await value('164', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '12003', derivation: 'periods' });
      // Then the city's own quarter: reported wins over both, whatever its wards send later.
      await submit('164-VHTT', ['164;QR_SCANS;2022Q1;12500;lượt;;']);
      await submit('164-VHTT', ['05443;QR_SCANS;202201;2500;lượt;;']);
      expect(await value('164', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '12500', derivation: 'reported' });
      expect(await value('19', 'QR_SCANS', '2022Q1')).toMatchObject({ value: '12500', derivation: 'units' });
      expect(await cellsWithTwoValues(fixture.database)).toEqual([]);
    });
  });

  describe('across units', () => {
    it('weights a rate by the weight indicator of the same unit and period', async () => {
      await submit('164-LDTBXH', [
        '05485;HOUSEHOLDS;2022;2000;hộ;;',
        '05485;POOR_HOUSEHOLD_RATE;2022;0,5;%;;',
        '05488;HOUSEHOLDS;2022;3000;hộ;;',
        '05488;POOR_HOUSEHOLD_RATE;2022;1,5;%;;',
      ]);
      expect(await value('164', 'POOR_HOUSEHOLD_RATE', '2022')).toMatchObject({ value: '1.1', reporting_units: 2, expected_units: 32 });
      // A new weight moves the mean without the rate being resubmitted.
      await submit('164-LDTBXH', ['05488;HOUSEHOLDS;2022;2000;hộ;;']);
      expect(await value('164', 'POOR_HOUSEHOLD_RATE', '2022')).toMatchObject({ value: '1' });
    });

    it('weighs a city\'s rate one level up by the households behind it, and counts only the wards it weighed', async () => {
      // 05446 has households but no rate, 05449 a rate but no households: neither is in TP Thái
      // Nguyên's rate, which stands for 5,000 of its 10,000 households.
      await submit('164-LDTBXH', [
        '05440;HOUSEHOLDS;2019;4000;hộ;;', '05440;POOR_HOUSEHOLD_RATE;2019;1,5;%;;',
        '05443;HOUSEHOLDS;2019;1000;hộ;;', '05443;POOR_HOUSEHOLD_RATE;2019;3;%;;',
        '05446;HOUSEHOLDS;2019;5000;hộ;;', '05449;POOR_HOUSEHOLD_RATE;2019;9;%;;',
      ]);
      await submit('05506', ['05506;HOUSEHOLDS;2019;10000;hộ;;', '05506;POOR_HOUSEHOLD_RATE;2019;5;%;;']);
      expect(await value('164', 'POOR_HOUSEHOLD_RATE', '2019')).toMatchObject({ value: '1.8', reporting_units: 2 });
      expect(await value('164', 'HOUSEHOLDS', '2019')).toMatchObject({ value: '10000' });
      // The province's rate is its wards' own: (1.5 × 4,000 + 3 × 1,000 + 5 × 10,000) / 15,000.
      expect(Number((await value('19', 'POOR_HOUSEHOLD_RATE', '2019'))!.value)).toBeCloseTo(59000 / 15000, 12);
    });

    it('counts communes meeting a standard, at every level', async () => {
      await submit('164-KT', ['05485;NEW_RURAL_ADVANCED;2022;1;;;', '05488;NEW_RURAL_ADVANCED;2022;1;;;', '05491;NEW_RURAL_ADVANCED;2022;0;;;']);
      expect(await value('164', 'NEW_RURAL_ADVANCED', '2022')).toMatchObject({ value: '2', reporting_units: 3 });
      expect(await value('19', 'NEW_RURAL_ADVANCED', '2022')).toMatchObject({ value: '2' });
    });

    it('never aggregates an indicator whose rule is none', async () => {
      await submit('164-VHTT', ['05440;DX_INDEX_RANK;2022;3;;;', '05443;DX_INDEX_RANK;2022;5;;;']);
      expect(await value('164', 'DX_INDEX_RANK', '2022')).toBeUndefined();
    });
  });

  describe('targets', () => {
    it('reports each target with its status and the numbers behind it', async () => {
      await submit('164-TCKH', [
        '164;BUDGET_REVENUE;2020;2000;tỷ đồng;;',
        '164;BUDGET_REVENUE;2021;2250;tỷ đồng;;',
        '164;BUDGET_REVENUE;2022;2500;tỷ đồng;;',
        '164;LOCAL_INDUSTRY_VALUE;2020;1000;tỷ đồng;;',
        '164;LOCAL_INDUSTRY_VALUE;2022;1210;tỷ đồng;;',
        '164;POOR_HOUSEHOLD_RATE;2022;0,8;%;;',
      ]);
      const targets = await fixture.database.db.selectFrom('mart.target_progress').selectAll().where('unit_code', '=', '164').orderBy('target_id').execute();
      const byIndicator = (code: string) => targets.find((t) => t.indicator_code === code)!;
      // 2021: +12.5%, 2022: +11.1%: every year at least 10%, deadline 2025 not reached.
      expect(byIndicator('BUDGET_REVENUE')).toMatchObject({ status: 'on_track', latest_year: 2022 });
      expect(Number(byIndicator('BUDGET_REVENUE').metric_value).toFixed(2)).toBe('11.11');
      // (1210 / 1000)^(1/2) − 1 = 10% a year since 2020.
      expect(byIndicator('LOCAL_INDUSTRY_VALUE')).toMatchObject({ status: 'on_track', base_year: 2020, base_value: '1000', latest_value: '1210' });
      expect(Number(byIndicator('LOCAL_INDUSTRY_VALUE').metric_value).toFixed(4)).toBe('10.0000');
      expect(byIndicator('POOR_HOUSEHOLD_RATE')).toMatchObject({ status: 'on_track', metric_value: '0.8' });
      expect(byIndicator('PRODUCTION_VALUE_AGRICULTURE')).toMatchObject({ status: 'no_data', metric_value: null });
      await submit('164-TCKH', ['164;BUDGET_REVENUE;2023;2600;tỷ đồng;;']);
      const after = await fixture.database.db.selectFrom('mart.target_progress').selectAll().where('indicator_code', '=', 'BUDGET_REVENUE').executeTakeFirstOrThrow();
      expect(after).toMatchObject({ status: 'off_track', latest_year: 2023 }); // +4% in 2023
    });
  });

  describe('completeness', () => {
    it('marks each expected ward report on time, late, rejected or missing', async () => {
      await submit('05431', ['05431;QR_POINTS;2021S1;10;điểm;;']);
      // 05434 dropped its report within five days of the half's end (dstats took it in later).
      const onTime = await dropFile(fixture.root, '05434', 'bao-cao-2021S1.csv', `${LONG_HEADER}\n05434;QR_POINTS;2021S1;12;điểm;;\n`);
      await utimes(onTime, new Date('2021-07-03T09:00:00+07:00'), new Date('2021-07-03T09:00:00+07:00'));
      await dropFile(fixture.root, '05437', 'bao-cao-2021S1.csv', `${LONG_HEADER}\n05437;QR_POINTS;2021S1;abc;điểm;;\n`);
      await runInProcess(fixture.ctx);
      const rows = await fixture.database.db
        .selectFrom('mart.completeness')
        .select(['source_id', 'status', 'deadline'])
        .where('form_id', '=', 'long')
        .where('period_code', '=', '2021S1')
        .where('source_id', 'in', ['05431', '05434', '05437', '05440'])
        .orderBy('source_id')
        .execute();
      expect(rows).toEqual([
        { source_id: '05431', status: 'late', deadline: '2021-07-05' },
        { source_id: '05434', status: 'on_time', deadline: '2021-07-05' },
        { source_id: '05437', status: 'rejected', deadline: '2021-07-05' },
        { source_id: '05440', status: 'missing', deadline: '2021-07-05' },
      ]);
      const wards = await fixture.database.db.selectFrom('mart.completeness').select('source_id').where('form_id', '=', 'long').where('period_code', '=', '2021S1').where('source_id', 'not like', '164%').execute();
      expect(wards).toHaveLength(32);
    });
  });

  describe('the 2025 reorganisation', () => {
    beforeAll(async () => {
      // Gia Sàng (05461) was split between the new Phan Đình Phùng (05443) and the new Gia Sàng
      // (05467); Cam Giá (05467) between the new Gia Sàng and Tích Lương (05500).
      await submit('164-TCKH', [
        '05440;BUDGET_REVENUE;2024S2;30;tỷ đồng;;',
        '05443;BUDGET_REVENUE;2024S2;40;tỷ đồng;;',
        '05461;BUDGET_REVENUE;2024S2;10;tỷ đồng;;',
        '05467;BUDGET_REVENUE;2024S2;20;tỷ đồng;;',
        '05500;BUDGET_REVENUE;2024S2;5,5;tỷ đồng;;',
      ]);
    });

    it('rolls old periods up the old hierarchy: 05443 is Trưng Vương under TP Thái Nguyên', async () => {
      expect(await value('05443', 'BUDGET_REVENUE', '2024S2')).toMatchObject({ value: '40', derivation: 'reported' });
      expect(await value('164', 'BUDGET_REVENUE', '2024S2')).toMatchObject({ value: '105.5', reporting_units: 5, expected_units: 32 });
    });

    it('derives a comparable series for the new units, full and split, marked derived', async () => {
      const comparable = await fixture.database.db.selectFrom('mart.fact_comparable').selectAll().where('period_code', '=', '2024S2').orderBy('unit_code').execute();
      // No population of the new units yet: split units are shared equally.
      expect(comparable.map((c) => [c.unit_code, c.value, c.derivation])).toEqual([
        ['05443', '75', 'crosswalk'], // 30 + 40 + 10/2
        ['05467', '15', 'crosswalk'], // 10/2 + 20/2
        ['05500', '15.5', 'crosswalk'], // 20/2 + 5,5
        ['19', '105.5', 'crosswalk'],
      ]);
    });

    it('gives the same province total on the old and on the new hierarchy', async () => {
      const old = await value('19', 'BUDGET_REVENUE', '2024S2');
      const [newProvince] = await fixture.database.db.selectFrom('mart.fact_comparable').select('value').where('unit_code', '=', '19').where('period_code', '=', '2024S2').execute();
      expect(old!.value).toBe('105.5');
      expect(newProvince!.value).toBe(old!.value);
    });

    it('rolls new periods up the new hierarchy, and measures growth against the comparable series', async () => {
      // In 2025S2, 05443 means the new Phan Đình Phùng, directly under the province.
      await dropFile(fixture.root, '05443', 'bao-cao-2025S2.csv', `${LONG_HEADER}\n05443;BUDGET_REVENUE;2025S2;90;tỷ đồng;;\n`);
      expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
      expect(await value('19', 'BUDGET_REVENUE', '2025S2')).toMatchObject({ value: '90', expected_units: 92 });
      const growth = await fixture.database.db.selectFrom('mart.growth').selectAll().where('unit_code', '=', '05443').where('period_code', '=', '2025S2').executeTakeFirstOrThrow();
      expect(growth.value_last_year).toBe('75');
      expect(Number(growth.yoy_pct).toFixed(2)).toBe('20.00');
    });

    // Found by exploratory testing: the shares stayed those of whenever the old periods were
    // rolled up, so the series depended on the order of the loads.
    it('shares a split old unit again by population once its new units report one, in the same run', async () => {
      await dropFile(fixture.root, '05443', 'dan-so-2025S2.csv', `${LONG_HEADER}\n05443;POPULATION;2025S2;30000;người;;\n`);
      await dropFile(fixture.root, '05467', 'dan-so-2025S2.csv', `${LONG_HEADER}\n05467;POPULATION;2025S2;10000;người;;\n`);
      await dropFile(fixture.root, '05500', 'dan-so-2025S2.csv', `${LONG_HEADER}\n05500;POPULATION;2025S2;20000;người;;\n`);
      expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
      const comparable = await fixture.database.db.selectFrom('mart.fact_comparable').select(['unit_code', 'value'])
        .where('indicator_code', '=', 'BUDGET_REVENUE').where('period_code', '=', '2024S2').orderBy('unit_code').execute();
      const byUnit = Object.fromEntries(comparable.map((c) => [c.unit_code, Number(c.value)]));
      // Gia Sàng (10) goes ¾ to 05443 and ¼ to 05467; Cam Giá (20) ⅓ to 05467 and ⅔ to 05500.
      expect(byUnit['05443']).toBeCloseTo(30 + 40 + 7.5, 10);
      expect(byUnit['05467']).toBeCloseTo(2.5 + 20 / 3, 10);
      expect(byUnit['05500']).toBeCloseTo(40 / 3 + 5.5, 10);
      // Still the old hierarchy's total to the last digit (a sum keeps its terms' scale).
      expect(comparable.find((c) => c.unit_code === '19')!.value).toMatch(/^105\.50*$/);
      const growth = await fixture.database.db.selectFrom('mart.growth').select(['value_last_year']).where('unit_code', '=', '05443')
        .where('indicator_code', '=', 'BUDGET_REVENUE').where('period_code', '=', '2025S2').executeTakeFirstOrThrow();
      expect(growth.value_last_year).toBe('77.5');
      expect(await fixture.database.db.selectFrom('core.comparable_stale').selectAll().execute()).toEqual([]);
    });
  });

  describe('incremental', () => {
    it('a new file recomputes only the year it touches', async () => {
      const before = await fixture.database.db.selectFrom('core.aggregate_value').select(['period_code', 'computed_at']).where('period_code', 'like', '2022%').execute();
      await submit('164-VHTT', ['05440;QR_SCANS;202301;5;lượt;;']);
      const after = await fixture.database.db.selectFrom('core.aggregate_value').select(['period_code', 'computed_at']).where('period_code', 'like', '2022%').execute();
      expect(after).toEqual(before);
      expect(await value('164', 'QR_SCANS', '202301')).toMatchObject({ value: '5' });
      // One ward this April against two last April: the growth says so.
      await submit('164-VHTT', ['05440;QR_SCANS;202304;7;lượt;;']);
      const growth = await fixture.database.db.selectFrom('mart.growth').selectAll()
        .where('unit_code', '=', '164').where('indicator_code', '=', 'QR_SCANS').where('period_code', '=', '202304').executeTakeFirstOrThrow();
      expect(growth).toMatchObject({ value: '7', value_last_year: '3006', reporting_units: 1, expected_units: 32, reporting_units_last_year: 2 });
    });
  });
});
