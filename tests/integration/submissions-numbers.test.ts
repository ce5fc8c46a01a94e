// SPEC §4, numbers and units of measure: the file's convention comes from its unambiguous values,
// else from the source's locale; a value that could be read both ways with no clue is rejected,
// never guessed; "-", "x" and empty cells are "no figure", never 0; values are converted exactly
// to the indicator's canonical unit.
import { describe, expect, it } from 'vitest';
import { brief, useSubmissions } from '../helpers/submissions.js';

const LONG = 'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính';
const csv = (...rows: string[]) => [LONG, ...rows].join('\n') + '\n';

// One database and drop root for the whole file (each file has its own).
const h = useSubmissions('sub-num');

describe('number conventions', () => {
  it('vi "1.348,9" loads 1348.9', async () => {
    const out = await h.submit('05446', 'vi.csv', csv('05446;BUDGET_REVENUE;2022S1;1.348,9;tỷ đồng'));
    expect(brief(out.errors)).toBeNull();
    expect(out.receipt!.number_convention).toBe('vi');
    expect(await h.cellsOf(out.submissionId)).toEqual(['05446 BUDGET_REVENUE 2022S1 actual official = 1348.9 bn_vnd']);
  });

  it('en "1,348.9" (quoted in a comma file) loads 1348.9', async () => {
    const out = await h.submit('05449', 'en.csv', 'unit_code,indicator_code,period,value,uom\n05449,BUDGET_REVENUE,2022S1,"1,348.9",tỷ đồng\n');
    expect(brief(out.errors)).toBeNull();
    expect(out.receipt!.number_convention).toBe('en');
    expect(await h.cellsOf(out.submissionId)).toEqual(['05449 BUDGET_REVENUE 2022S1 actual official = 1348.9 bn_vnd']);
  });

  it('the file\'s unambiguous values decide its ambiguous ones, both ways', async () => {
    const vi = await h.submit('05455', 'vi-clue.csv', csv('05455;QR_SCANS;2022S1;1.348;lượt', '05455;BUDGET_REVENUE;2022S1;2,5;tỷ đồng'));
    expect(await h.cellsOf(vi.submissionId)).toEqual([
      '05455 BUDGET_REVENUE 2022S1 actual official = 2.5 bn_vnd',
      '05455 QR_SCANS 2022S1 actual official = 1348 count',
    ]);
    const en = await h.submit('05458', 'en-clue.csv', csv('05458;QR_SCANS;2022S1;1,348;lượt', '05458;BUDGET_REVENUE;2022S1;30.87;tỷ đồng'));
    expect(await h.cellsOf(en.submissionId)).toEqual([
      '05458 BUDGET_REVENUE 2022S1 actual official = 30.87 bn_vnd',
      '05458 QR_SCANS 2022S1 actual official = 1348 count',
    ]);
  });

  const ambiguous = csv('05452;QR_SCANS;2022S1;1.348;lượt');

  it('a ward file whose only value is "1.348" is rejected with AMBIGUOUS_NUMBER (wards have no locale)', async () => {
    const out = await h.submit('05452', 'mo-ho.csv', ambiguous);
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['2', 'Giá trị', '1.348', 'AMBIGUOUS_NUMBER']]);
    expect(out.errors![0]!.message_en).toMatch(/1348.*1\.348/);
    expect(await h.observationsOf(out.submissionId)).toEqual([]);
  });

  it('the same bytes from 164-TCKH (locale vi) load 1348', async () => {
    const out = await h.submit('164-TCKH', 'mo-ho.csv', ambiguous);
    expect(brief(out.errors)).toBeNull();
    expect(out.receipt!.number_convention).toBe('vi');
    expect(await h.cellsOf(out.submissionId)).toEqual(['05452 QR_SCANS 2022S1 actual official = 1348 count']);
  });

  it('"-", "x", "X", "–" and empty cells load no value: no observation, never 0', async () => {
    const out = await h.submit(
      '05461',
      'trong.csv',
      csv(
        '05461;QR_POINTS;2022S1;-;điểm',
        '05461;QR_SCANS;2022S1;x;lượt',
        '05461;CCTV_CAMERAS;2022S1;;camera',
        '05461;DIGITAL_TECH_TEAMS;2022S1;X;tổ',
        '05461;CHIP_ID_CARDS;2022S1;–;thẻ',
        '05461;EID_ACCOUNTS;2022S1;236;tài khoản',
      ),
    );
    expect(brief(out.errors)).toBeNull();
    expect(out.receipt).toMatchObject({ rows: 6, values_loaded: 1 });
    expect((await h.observationsOf(out.submissionId)).map((o) => [o.row_no, o.indicator_code, o.value])).toEqual([[7, 'EID_ACCOUNTS', '236']]);
    expect(await h.cellsOf(out.submissionId)).toEqual(['05461 EID_ACCOUNTS 2022S1 actual official = 236 count']);
  });

  it('a later "-" for a cell does not erase (or zero) the value already loaded', async () => {
    const first = await h.submit('05464', 'co-so.csv', csv('05464;QR_POINTS;2022S1;5;điểm'));
    const second = await h.submit('05464', 'gach.csv', csv('05464;QR_POINTS;2022S1;-;điểm'));
    expect(second.state).toBe('loaded');
    expect(second.receipt).toMatchObject({ values_loaded: 0 });
    expect(await h.cellsOf(first.submissionId)).toEqual(['05464 QR_POINTS 2022S1 actual official = 5 count']);
  });

  it('"12,5%" for a pct indicator loads 12.5, with or without a "%" unit of measure', async () => {
    const out = await h.submit('05467', 'ty-le.csv', csv('05467;POOR_HOUSEHOLD_RATE;2022S1;12,5%;%', '05467;EPAYMENT_ACCOUNT_RATE;2022S1;45,75 %;'));
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05467 EPAYMENT_ACCOUNT_RATE 2022S1 actual official = 45.75 pct',
      '05467 POOR_HOUSEHOLD_RATE 2022S1 actual official = 12.5 pct',
    ]);
  });

  it('signs: "-2,5%" (a minus, not the "-" placeholder) loads -2.5; a negative rate (U+2212 minus) is OUT_OF_RANGE', async () => {
    const bad = await h.submit('164-TCKH', 'am.csv', csv('164;ECONOMIC_GROWTH_RATE;2022S1;-2,5%;%', '164;POOR_HOUSEHOLD_RATE;2022S1;−0,5;%'));
    expect(brief(bad.errors)).toEqual([['3', 'Giá trị', '−0,5', 'OUT_OF_RANGE']]);
    const good = await h.submit('164-TCKH', 'am-2.csv', csv('164;ECONOMIC_GROWTH_RATE;2022S1;-2,5%;%'));
    expect(await h.cellsOf(good.submissionId)).toEqual(['164 ECONOMIC_GROWTH_RATE 2022S1 actual official = -2.5 pct']);
  });

  it('a value written the other way than the rest of the file is NUMBER_CONVENTION_CONFLICT', async () => {
    const out = await h.submit(
      '05470',
      'lan-lon.csv',
      csv(
        '05470;BUDGET_REVENUE;2022S1;1.348,9;tỷ đồng',
        '05470;PUBLIC_INVESTMENT_DISBURSED;2022S1;2,5;tỷ đồng',
        '05470;ADMIN_REFORM_SPENDING;2022S1;1,348.9;tỷ đồng',
      ),
    );
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['4', 'Giá trị', '1,348.9', 'NUMBER_CONVENTION_CONFLICT']]);
    expect(out.errors![0]!.message_en).toBe('"1,348.9" is written the en way while the rest of the file uses the vi way. Use one number format in the whole file.');
  });

  it('text that is no number is NOT_A_NUMBER, with its line', async () => {
    const out = await h.submit('05473', 'chu.csv', csv('05473;QR_POINTS;2022S1;12;điểm', '05473;QR_SCANS;2022S1;khoảng 300;lượt', '05473;CCTV_CAMERAS;2022S1;1,2,3;camera'));
    expect(brief(out.errors)).toEqual([
      ['3', 'Giá trị', 'khoảng 300', 'NOT_A_NUMBER'],
      ['4', 'Giá trị', '1,2,3', 'NOT_A_NUMBER'],
    ]);
  });
});

// Found by exploratory testing: a value Postgres numeric cannot hold failed the file's COPY on
// every attempt, and the file stayed in work/ for good.
describe('a value with more digits than any statistic', () => {
  it('is NUMBER_TOO_LONG, shortened in the report, and the file is rejected whole', async () => {
    const huge = '9'.repeat(200_000);
    const tiny = '0,' + '1'.repeat(17_000);
    const out = await h.submit('05476', 'dai.csv', csv(`05476;QR_SCANS;2022S1;${huge};lượt`, `05476;BUDGET_REVENUE;2022S1;${tiny};tỷ đồng`, '05476;QR_POINTS;2022S1;12;điểm'));
    expect(out.state).toBe('rejected');
    expect(out.errors!.map((e) => [e.row, e.code, e.value])).toEqual([
      ['2', 'NUMBER_TOO_LONG', `${'9'.repeat(37)}...`],
      ['3', 'NUMBER_TOO_LONG', `0,${'1'.repeat(35)}...`],
    ]);
    expect(out.errors![0]!.message_en).toContain('200000 digits, more than the 30');
  });

  it('30 digits load, 31 do not', async () => {
    const ok = await h.submit('05479', 'du.csv', csv(`05479;QR_SCANS;2022S1;${'1'.repeat(30)};lượt`));
    expect(brief(ok.errors)).toBeNull();
    const over = await h.submit('05482', 'qua.csv', csv(`05482;QR_SCANS;2022S1;${'1'.repeat(31)};lượt`));
    expect(over.errors!.map((e) => e.code)).toEqual(['NUMBER_TOO_LONG']);
  });
});

// Found by exploratory testing: a title line without a delimiter made the file tab-separated
// (MISSING_COLUMN), and one endless line was gathered whole (40 MB: 54 s and 800 MB).
describe('the shape of the text', () => {
  it('a title line above the header does not decide the delimiter', async () => {
    const out = await h.submit('05488', 'tieu-de.csv', 'BÁO CÁO SỐ LIỆU 6 THÁNG ĐẦU NĂM 2022\n' + csv('05488;QR_POINTS;2022S1;12;điểm'));
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual(['05488 QR_POINTS 2022S1 actual official = 12 count']);
  });

  it('a line longer than 1 MiB is UNREADABLE_FILE, with or without quotes', async () => {
    const long = 'x'.repeat(1024 * 1024 + 10);
    for (const [name, line] of [['mot-dong.csv', `05491;QR_POINTS;2022S1;12;${long}`], ['mot-dong-ngoac.csv', `05491;QR_POINTS;2022S1;12;"${long}"`]] as const) {
      const out = await h.submit('05491', name, csv(line));
      expect(out.errors!.map((e) => e.code), name).toEqual(['UNREADABLE_FILE']);
    }
  });
});

describe('units of measure', () => {
  it('"triệu đồng" for BUDGET_REVENUE (canonical tỷ đồng) loads value / 1000 exactly', async () => {
    const out = await h.submit(
      '164-TCKH',
      'trieu-dong.csv',
      csv('05440;BUDGET_REVENUE;2023S1;1.348,9;triệu đồng', '05443;BUDGET_REVENUE;2023S1;53.048;triệu đồng', '05446;BUDGET_REVENUE;2023S1;7;Tr.đ'),
    );
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05440 BUDGET_REVENUE 2023S1 actual official = 1.3489 bn_vnd',
      '05443 BUDGET_REVENUE 2023S1 actual official = 53.048 bn_vnd',
      '05446 BUDGET_REVENUE 2023S1 actual official = 0.007 bn_vnd',
    ]);
    // The city total is the exact sum: 1.3489 + 53.048 + 0.007.
    const [city] = await h.database.db.selectFrom('mart.fact_value').selectAll().where('unit_code', '=', '164').where('indicator_code', '=', 'BUDGET_REVENUE').where('period_code', '=', '2023S1').execute();
    expect(Number(city!.value)).toBe(54.4039);
    expect(city!.value).toMatch(/^54\.40390*$/);
  });

  it('"kg" is UOM_MISMATCH', async () => {
    const out = await h.submit('05449', 'kg.csv', csv('05449;BUDGET_REVENUE;2022S1;12;kg', '05449;QR_POINTS;2022S1;12;kg'));
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([
      ['2', 'Đơn vị tính', 'kg', 'UOM_MISMATCH'],
      ['3', 'Đơn vị tính', 'kg', 'UOM_MISMATCH'],
    ]);
    expect(out.errors![0]!.message_vi).toBe('Đơn vị tính "kg" không đổi được sang tỷ đồng của chỉ tiêu BUDGET_REVENUE.');
  });

  it('"12%" on a money value is UOM_MISMATCH', async () => {
    const out = await h.submit('05452', 'phan-tram.csv', csv('05452;PUBLIC_INVESTMENT_DISBURSED;2022S1;12%;'));
    expect(out.state).toBe('rejected');
    expect(out.errors!.map((e) => [e.row, e.value, e.code])).toEqual([['2', '12%', 'UOM_MISMATCH']]);
  });

  it('the "%" mismatch points at the value column where the "%" is', async () => {
    const out = await h.submit('05455', 'phan-tram-cot.csv', csv('05455;PUBLIC_INVESTMENT_DISBURSED;2022S1;12%;'));
    expect(brief(out.errors)).toEqual([['2', 'Giá trị', '12%', 'UOM_MISMATCH']]);
  });

  // Found by exploratory testing: the unit in the header was dropped, and 42.750 triệu đồng
  // loaded as 42,750 tỷ đồng.
  it('a unit named in the value header ("Giá trị (triệu đồng)") converts every row without one of its own', async () => {
    const out = await h.submit(
      '164-TCKH',
      'don-vi-o-tieu-de.csv',
      'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị (triệu đồng);ĐV tính\n05458;BUDGET_REVENUE;2022S1;42.750;\n05461;BUDGET_REVENUE;2022S1;3,5;tỷ đồng\n',
    );
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05458 BUDGET_REVENUE 2022S1 actual official = 42.750 bn_vnd',
      '05461 BUDGET_REVENUE 2022S1 actual official = 3.5 bn_vnd', // the row's own unit wins
    ]);
  });

  it('a header unit a row\'s indicator cannot take is UOM_MISMATCH on that row; a parenthetical that is no unit is ignored', async () => {
    const mixed = await h.submit('05464', 'tieu-de-sai.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị (triệu đồng)\nBUDGET_REVENUE;2022S1;1500\nQR_POINTS;2022S1;12\n');
    expect(brief(mixed.errors)).toEqual([['3', 'Giá trị (triệu đồng)', 'triệu đồng', 'UOM_MISMATCH']]);
    const note = await h.submit('05467', 'tieu-de-uoc.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị (ước)\nQR_POINTS;2022S1;12\n');
    expect(brief(note.errors)).toBeNull();
    expect(await h.cellsOf(note.submissionId)).toEqual(['05467 QR_POINTS 2022S1 actual official = 12 count']);
  });
});
