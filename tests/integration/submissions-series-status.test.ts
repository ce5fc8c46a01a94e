// SPEC §4, series and status columns: the words officers write end up as the series (actual,
// plan_province, plan_city) and status (estimate, preliminary, official) of mart.fact_value.
import { describe, expect, it } from 'vitest';
import { brief, useSubmissions } from '../helpers/submissions.js';

describe('series and status words', () => {
  const h = useSubmissions('sub-series');

  it('Thực hiện / KH tỉnh giao / KH thành phố and ước / ước đạt / sơ bộ / chính thức', async () => {
    const out = await h.submit(
      '164-TCKH',
      'ke-hoach-2022.csv',
      [
        'Đơn vị;Chỉ tiêu;Kỳ;Giá trị;ĐVT;Loại số liệu;Tình trạng',
        'P. Quán Triều;Thu ngân sách;Năm 2022;53,048;tỷ đồng;KH tỉnh giao;',
        'P. Quán Triều;Thu ngân sách;Năm 2022;55;tỷ đồng;KH thành phố;chính thức',
        'P. Quán Triều;Thu ngân sách;6 tháng đầu năm 2022;29,05;tỷ đồng;Thực hiện;ước',
        'P. Quang Vinh;Thu ngân sách;6 tháng đầu năm 2022;52,15;tỷ đồng;Thực hiện;ước đạt',
        'P. Túc Duyên;Thu ngân sách;6 tháng đầu năm 2022;50,45;tỷ đồng;;sơ bộ',
        'P. Hoàng Văn Thụ;Thu ngân sách;6 tháng đầu năm 2022;24,19;tỷ đồng;THỰC HIỆN;Chính thức',
        'P. Trưng Vương;Thu ngân sách;6 tháng đầu năm 2022;69,61;tỷ đồng;Kế hoạch tỉnh giao;ƯTH',
        'P. Quang Trung;Thu ngân sách;6 tháng đầu năm 2022;57,65;tỷ đồng;KH TP;SB',
        '',
      ].join('\n'),
    );
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05431 BUDGET_REVENUE 2022 plan_city official = 55 bn_vnd',
      '05431 BUDGET_REVENUE 2022 plan_province official = 53.048 bn_vnd',
      '05431 BUDGET_REVENUE 2022S1 actual estimate = 29.05 bn_vnd',
      '05434 BUDGET_REVENUE 2022S1 actual estimate = 52.15 bn_vnd',
      '05437 BUDGET_REVENUE 2022S1 actual preliminary = 50.45 bn_vnd',
      '05440 BUDGET_REVENUE 2022S1 actual official = 24.19 bn_vnd',
      '05443 BUDGET_REVENUE 2022S1 plan_province estimate = 69.61 bn_vnd',
      '05446 BUDGET_REVENUE 2022S1 plan_city preliminary = 57.65 bn_vnd',
    ]);
  });

  it('a plan and the actual figure of the same cell are two series, both kept', async () => {
    const out = await h.submit('05449', 'hai-loai-2022.csv', 'Mã chỉ tiêu;Giá trị;Loại số liệu\nQR_POINTS;100;KH thành phố\nQR_POINTS;80;Thực hiện\n');
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05449 QR_POINTS 2022 actual official = 80 count',
      '05449 QR_POINTS 2022 plan_city official = 100 count',
    ]);
  });

  it('unknown words are UNKNOWN_SERIES / UNKNOWN_STATUS on their line', async () => {
    const out = await h.submit('05452', 'tu-la-2022.csv', 'Mã chỉ tiêu;Giá trị;Loại số liệu;Tình trạng\nQR_POINTS;100;dự báo;\nQR_SCANS;80;;tạm tính\n');
    expect(brief(out.errors)).toEqual([
      ['2', 'Loại số liệu', 'dự báo', 'UNKNOWN_SERIES'],
      ['3', 'Tình trạng', 'tạm tính', 'UNKNOWN_STATUS'],
    ]);
  });
});
