// SPEC §4: the whole file is accepted or rejected by default, but a source can be configured to
// accept its valid rows; then the good rows load and the receipt's warnings name the bad lines.
import { describe, expect, it } from 'vitest';
import { brief, useSubmissions } from '../helpers/submissions.js';

const HEADER = 'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính';

describe('a source that accepts its valid rows', () => {
  const h = useSubmissions('sub-accept', {
    prepare: async (database) => {
      await database.db.updateTable('core.source').set({ accept_valid_rows: true }).where('source_id', '=', '164-TCKH').execute();
    },
  });

  it('loads the good rows of a file with bad ones; the receipt warns about each bad line', async () => {
    const out = await h.submit(
      '164-TCKH',
      'mot-dong-loi.csv',
      [
        HEADER,
        '05440;BUDGET_REVENUE;2022S1;24,19;tỷ đồng',
        '05443;BUDGET_REVENUE;2022S1;abc;tỷ đồng', // 3: not a number
        '05446;BUDGET_REVENUE;2022S1;57,65;tỷ đồng',
        '05449;POOR_HOUSEHOLD_RATE;2022S1;140;%', // 5: out of range (a check run in SQL after staging)
        '',
      ].join('\n'),
    );
    expect(out.state).toBe('loaded');
    expect(out.errors).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05440 BUDGET_REVENUE 2022S1 actual official = 24.19 bn_vnd',
      '05446 BUDGET_REVENUE 2022S1 actual official = 57.65 bn_vnd',
    ]);
    expect(out.receipt).toMatchObject({ outcome: 'loaded', rows: 4, values_loaded: 2 });
    expect(out.receipt!.warnings).toEqual([
      'line 3: "abc" is not a number. Enter a number such as 1,348.9; leave it empty or "-" when there is no figure.',
      'line 5: Value 140 of POOR_HOUSEHOLD_RATE is outside the valid range [0, 100].',
    ]);
    expect(out.firstProblem).toBe(out.receipt!.warnings[0]!.replace(/^line 3: /, ''));
    const s = await h.database.db.selectFrom('mart.submissions').selectAll().where('submission_id', '=', out.submissionId).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ state: 'loaded', values_loaded: 2, problem_count: 2 });
    // Nothing of the bad lines is in history.
    expect((await h.observationsOf(out.submissionId)).map((o) => o.row_no)).toEqual([2, 4]);
    // The city total counts the two good wards only.
    const [city] = await h.database.db.selectFrom('mart.fact_value').selectAll().where('unit_code', '=', '164').where('indicator_code', '=', 'BUDGET_REVENUE').where('period_code', '=', '2022S1').execute();
    expect(city).toMatchObject({ value: '81.84', reporting_units: 2 });
  });

  it('a problem with the whole file still rejects it (MISSING_COLUMN)', async () => {
    const out = await h.submit('164-TCKH', 'thieu-cot.csv', 'Mã đơn vị;Kỳ báo cáo;Giá trị\n05440;2022S1;1\n');
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['1', 'indicator', '', 'MISSING_COLUMN']]);
  });

  it('another source (a ward, not configured) is still rejected whole for one bad row', async () => {
    const out = await h.submit('05452', 'mot-dong-loi.csv', `${HEADER}\n05452;QR_POINTS;2022S1;5;điểm\n05452;QR_SCANS;2022S1;abc;lượt\n`);
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['3', 'Giá trị', 'abc', 'NOT_A_NUMBER']]);
    expect(await h.observationsOf(out.submissionId)).toEqual([]);
  });

  it('a file in which every row is bad is rejected, even when valid rows would be accepted', async () => {
    const out = await h.submit('164-TCKH', 'toan-loi.csv', `${HEADER}\n05440;QR_POINTS;2022S1;abc;điểm\n05443;QR_SCANS;2022S1;xyz;lượt\n`);
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([
      ['2', 'Giá trị', 'abc', 'NOT_A_NUMBER'],
      ['3', 'Giá trị', 'xyz', 'NOT_A_NUMBER'],
    ]);
  });
});
