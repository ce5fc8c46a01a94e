// Precedence of SPEC §5 through the public stages: official > preliminary > estimate, and at equal
// status the later submission wins; history is kept and rollups follow.
import { utimes } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropFile } from '../helpers/drop-root.js';
import { factValues, useStageContext } from '../helpers/pipeline.js';

describe('precedence of values for one cell', () => {
  const fixture = useStageContext('precedence');
  let n = 0;

  async function submit(ward: string, value: string, status: string) {
    await dropFile(fixture.root, ward, `thu-ngan-sach-2023S1-${++n}.csv`, `Mã chỉ tiêu;Giá trị;Đơn vị tính;Tình trạng\nBUDGET_REVENUE;${value};tỷ đồng;${status}\n`);
    const outcome = await runInProcess(fixture.ctx);
    expect(outcome.failures).toEqual([]);
    const last = await fixture.database.db.selectFrom('core.submission').select(['state', 'first_problem']).orderBy('submission_id', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ state: 'loaded', first_problem: null });
  }
  const valueOf = async (unit: string) => (await factValues(fixture.database, { unit, indicator: 'BUDGET_REVENUE', period: '2023S1' }))[0];

  it('an estimate is replaced by an official figure, which a later estimate does not replace', async () => {
    await submit('05440', '10,5', 'ước');
    expect(await valueOf('05440')).toMatchObject({ value: '10.5', status: 'estimate' });
    await submit('05440', '12,25', 'chính thức');
    expect(await valueOf('05440')).toMatchObject({ value: '12.25', status: 'official' });
    await submit('05440', '15', 'ước');
    expect(await valueOf('05440')).toMatchObject({ value: '12.25', status: 'official' });
    await submit('05440', '11', 'sơ bộ');
    expect(await valueOf('05440')).toMatchObject({ value: '12.25', status: 'official' });
  });

  it('at equal status the later submission wins, and the city total follows exactly', async () => {
    await submit('05443', '7,1', 'chính thức');
    expect(await valueOf('164')).toMatchObject({ value: '19.35', reporting_units: 2 });
    await submit('05440', '13,05', 'chính thức');
    expect(await valueOf('05440')).toMatchObject({ value: '13.05' });
    expect(await valueOf('164')).toMatchObject({ value: '20.15', status: 'official' });
  });

  // Found by exploratory testing: two files of one pass were taken in by name, so "bc (2).csv",
  // saved after "bc.csv", was taken in first and lost to it.
  it('of two files dropped for the same pass, the one saved later wins, whatever their names', async () => {
    const content = (value: string) => `Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính\nBUDGET_REVENUE;2021S1;${value};tỷ đồng\n`;
    const earlier = await dropFile(fixture.root, '05446', 'bc-2021S1.csv', content('100'));
    const later = await dropFile(fixture.root, '05446', 'bc-2021S1 (2).csv', content('200'));
    await utimes(earlier, new Date('2021-07-03T10:00:00Z'), new Date('2021-07-03T10:00:00Z'));
    await utimes(later, new Date('2021-07-03T15:00:00Z'), new Date('2021-07-03T15:00:00Z'));
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect((await factValues(fixture.database, { unit: '05446', indicator: 'BUDGET_REVENUE', period: '2021S1' }))[0]).toMatchObject({ value: '200' });
  });

  it('keeps every submitted figure in history with its submission and line', async () => {
    const history = await fixture.database.db
      .selectFrom('core.observation as o')
      .innerJoin('core.unit as u', 'u.unit_key', 'o.unit_key')
      .select(['o.value', 'o.status', 'o.row_no', 'o.submission_id'])
      .where('u.code', '=', '05440')
      .orderBy('o.observation_id')
      .execute();
    expect(history.map((h) => [h.value, h.status, h.row_no])).toEqual([
      ['10.5', 'estimate', 2],
      ['12.25', 'official', 2],
      ['15', 'estimate', 2],
      ['11', 'preliminary', 2],
      ['13.05', 'official', 2],
    ]);
    expect(new Set(history.map((h) => h.submission_id)).size).toBe(5);
    // The mart's view of the same history marks the one figure that is current.
    const marked = await fixture.database.db
      .selectFrom('mart.observation_history as h')
      .select(['h.value', 'h.is_current'])
      .where('h.unit_code', '=', '05440')
      .where('h.indicator_code', '=', 'BUDGET_REVENUE')
      .where('h.period_code', '=', '2023S1')
      .orderBy('h.observation_id')
      .execute();
    expect(marked.map((h) => [h.value, h.is_current])).toEqual([
      ['10.5', false],
      ['12.25', false],
      ['15', false],
      ['11', false],
      ['13.05', true],
    ]);
  });
});
