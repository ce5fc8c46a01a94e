// SPEC §4, periods: every way officers write a period loads under its code; the file name gives
// the period when there is no period column; with neither the file is rejected.
import { describe, expect, it } from 'vitest';
import { brief, useSubmissions } from '../helpers/submissions.js';

describe('periods', () => {
  const h = useSubmissions('sub-period');

  it.each([
    ['6 tháng đầu năm 2022', '2022S1'],
    ['Quý II/2022', '2022Q2'],
    ['T6/2022', '202206'],
    ['9 tháng đầu năm 2022', '2022YTD09'],
    ['Năm 2022', '2022'],
    ['2022Q2', '2022Q2'],
    ['6 tháng cuối năm 2022', '2022S2'],
    ['Tháng 12/2022', '202212'],
    ['Q4/2022', '2022Q4'],
    ['QUÝ I NĂM 2023', '2023Q1'],
  ])('"%s" loads under %s', async (written, code) => {
    const out = await h.submit('05440', `ky-${code}-${written.length}.csv`, `Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính\nBUDGET_REVENUE;${written};${written.length},5;tỷ đồng\n`);
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([`05440 BUDGET_REVENUE ${code} actual official = ${written.length}.5 bn_vnd`]);
  });

  it('several periods in one file each load under their own code', async () => {
    const out = await h.submit(
      '05443',
      'nhieu-ky.csv',
      [
        'Mã chỉ tiêu;Kỳ báo cáo;Giá trị',
        'QR_SCANS;6 tháng đầu năm 2022;10',
        'QR_SCANS;Quý II/2022;11',
        'QR_SCANS;T6/2022;12',
        'QR_SCANS;9 tháng đầu năm 2022;13',
        'QR_SCANS;Năm 2022;14',
        '',
      ].join('\n'),
    );
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05443 QR_SCANS 2022 actual official = 14 count',
      '05443 QR_SCANS 202206 actual official = 12 count',
      '05443 QR_SCANS 2022Q2 actual official = 11 count',
      '05443 QR_SCANS 2022S1 actual official = 10 count',
      '05443 QR_SCANS 2022YTD09 actual official = 13 count',
    ]);
  });

  it.each([
    ['thu-ngan-sach-2022S1.csv', '2022S1'],
    ['bao-cao-quy-2-2022.csv', '2022Q2'],
    ['Báo cáo 9 tháng đầu năm 2022.csv', '2022YTD09'],
    ['BC_T6_2022.txt', '202206'],
    ['bao cao nam 2022.csv', '2022'],
    ['bao cao 06-2022.csv', '202206'], // 06/2022, a name cannot hold "/"
    ['report_H1_2022.csv', '2022S1'],
  ])('no period column: the period comes from the file name %s → %s', async (name, code) => {
    // Different bytes each time: the same bytes twice would be a duplicate.
    const value = `${name.length},25`;
    const out = await h.submit('05446', name, `Mã chỉ tiêu;Giá trị;Đơn vị tính\nPUBLIC_INVESTMENT_DISBURSED;${value};tỷ đồng\n`);
    expect(out.state).toBe('loaded');
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([`05446 PUBLIC_INVESTMENT_DISBURSED ${code} actual official = ${name.length}.25 bn_vnd`]);
  });

  it('a period column wins over the file name', async () => {
    const out = await h.submit('05449', 'bao-cao-2021.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;Quý III/2022;7\n');
    expect(await h.cellsOf(out.submissionId)).toEqual(['05449 QR_POINTS 2022Q3 actual official = 7 count']);
  });

  it('MISSING_PERIOD when neither a period column nor the file name gives one', async () => {
    const out = await h.submit('05452', 'bao-cao.csv', 'Mã chỉ tiêu;Giá trị\nQR_POINTS;7\n');
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['1', '', '', 'MISSING_PERIOD']]);
    expect(out.firstProblem).toBe('No period: add a "period" column or put the period in the file name (e.g. report-2022S1.csv).');
  });

  it('a file name naming two periods gives none: MISSING_PERIOD', async () => {
    const out = await h.submit('05455', 'so-sanh-2021-2022.csv', 'Mã chỉ tiêu;Giá trị\nQR_POINTS;7\n');
    expect(brief(out.errors)).toEqual([['1', '', '', 'MISSING_PERIOD']]);
  });

  it.each([
    ['bc-2022-S3.csv', 8],
    ['bc-30-06-2022.csv', 9],
  ])('a file name holding a part of a year nobody can read gives no period, not its year: %s is MISSING_PERIOD', async (name, value) => {
    const out = await h.submit('05455', name, `Mã chỉ tiêu;Giá trị\nQR_POINTS;${value}\n`);
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['1', '', '', 'MISSING_PERIOD']]);
  });

  it('a period nobody can read is UNKNOWN_PERIOD on its line', async () => {
    const out = await h.submit('05458', 'ky-sai.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;Quý V/2022;7\nQR_SCANS;2022S3;8\nCCTV_CAMERAS;Tháng 13/2022;9\n');
    expect(brief(out.errors)).toEqual([
      ['2', 'Kỳ báo cáo', 'Quý V/2022', 'UNKNOWN_PERIOD'],
      ['3', 'Kỳ báo cáo', '2022S3', 'UNKNOWN_PERIOD'],
      ['4', 'Kỳ báo cáo', 'Tháng 13/2022', 'UNKNOWN_PERIOD'],
    ]);
  });
});
