// A load removes the derived and rolled-up values of the cells it reports, in its own statement
// (migration 012), and skips the search where none can exist: rolled-up values only for the units
// normalise recorded (migration 013), derived ones only for periods made of shorter ones. These
// tests look at the mart right after a load, before any rollup runs.
import { describe, expect, it } from 'vitest';
import { steps } from '../../src/pipeline/steps.js';
import { cellsWithTwoValues, factValues, LONG_HEADER, nowhere, stageFile, useStageContext } from '../helpers/pipeline.js';

describe('a load replaces the computed values of the cells it reports', () => {
  const fixture = useStageContext('load-replaces-computed');
  let n = 0;

  /** Takes in and stages one file of the department 164-VHTT (rows: unit;indicator;period;value); returns its submission id. */
  const stage = (rows: string[]) =>
    stageFile(fixture, '164-VHTT', `bao-cao-${++n}.csv`, [LONG_HEADER, ...rows.map((r) => `${r};lượt;;`)].join('\n') + '\n');
  const load = async (submissionId: string) =>
    expect(await steps.load(fixture.ctx, nowhere, submissionId)).toMatchObject({ outcome: 'loaded' });
  const rollUp = () => steps.rollup(fixture.ctx, nowhere);
  const value = async (unit: string, period: string) =>
    factValues(fixture.database, { unit, indicator: 'QR_SCANS', period });
  const twoValuesIn = async (year: number) =>
    (await cellsWithTwoValues(fixture.database)).filter((cell) => cell.split('|')[2]!.startsWith(String(year)));
  const setUnitKeys = (submissionId: string, unitKeys: number[] | null) =>
    fixture.database.db.updateTable('core.submission').set({ unit_keys: unitKeys }).where('submission_id', '=', submissionId).execute();

  async function wardMonths(year: number) {
    await load(await stage(['05440', '05443'].flatMap((ward, w) => ['01', '02', '03'].map((m, i) => `${ward};QR_SCANS;${year}${m};${1000 * (w + 1) + i}`))));
    await rollUp();
    expect(await value('164', `${year}01`)).toMatchObject([{ value: '3000', derivation: 'units' }]);
    expect(await value('05440', `${year}Q1`)).toMatchObject([{ value: '3003', derivation: 'periods' }]);
  }

  it('records the units of the values it staged, once each', async () => {
    const submissionId = await stage(['164;QR_SCANS;202101;1', '05440;QR_SCANS;202101;2', '05440;QR_SCANS;202102;3']);
    const units = await fixture.database.db.selectFrom('core.unit').select('unit_key').where('code', 'in', ['164', '05440'])
      .where('valid_from', '<=', '2021-01-31').where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', '2021-01-31')]))
      .orderBy('unit_key').execute();
    const recorded = await fixture.database.db.selectFrom('core.submission').select('unit_keys').where('submission_id', '=', submissionId).executeTakeFirstOrThrow();
    expect(units).toHaveLength(2);
    expect(recorded.unit_keys).toEqual(units.map((u) => u.unit_key));
    await load(submissionId);
  });

  it("removes the rollup of a city's cell when the city reports it", async () => {
    await wardMonths(2022);
    await load(await stage(['164;QR_SCANS;202201;4000']));
    expect(await value('164', '202201')).toMatchObject([{ value: '4000', derivation: 'reported' }]);
    expect(await twoValuesIn(2022)).toEqual([]);
  });

  it('removes it too for a submission staged before its units were recorded', async () => {
    await wardMonths(2023);
    const submissionId = await stage(['164;QR_SCANS;202301;4000']);
    await setUnitKeys(submissionId, null);
    await load(submissionId);
    expect(await value('164', '202301')).toMatchObject([{ value: '4000', derivation: 'reported' }]);
    expect(await twoValuesIn(2023)).toEqual([]);
  });

  it("removes the quarter derived from a ward's months when the ward reports the quarter", async () => {
    await wardMonths(2024);
    await load(await stage(['05440;QR_SCANS;2024Q1;3100', '05440;QR_SCANS;202404;7']));
    expect(await value('05440', '2024Q1')).toMatchObject([{ value: '3100', derivation: 'reported' }]);
    expect(await twoValuesIn(2024)).toEqual([]);
  });

  it("leaves the city's rollup of a month when only its wards report again", async () => {
    await wardMonths(2020);
    await load(await stage(['05440;QR_SCANS;202001;1500']));
    // Stale until the rollup, but there: a ward's file never removes its city's values.
    expect(await value('164', '202001')).toMatchObject([{ value: '3000', derivation: 'units' }]);
    await rollUp();
    expect(await value('164', '202001')).toMatchObject([{ value: '3500', derivation: 'units' }]);
  });
});
