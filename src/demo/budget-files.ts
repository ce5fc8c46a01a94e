// Budget revenue from the finance office 164-TCKH: one long-format table per half (the wards'
// official figures, with the year's province plan as "KH tỉnh giao" rows in the first half of
// 2021 and 2022, like examples/inbox/164-TCKH), and the 2023 plan as the wide form ward-budget.
import { at, type WardFigures } from './figures.js';
import type { DemoFile } from './manifest.js';
import { looseTime, slotKey, type SlotPlan } from './schedule.js';
import { renderTable, written, type TextLayout } from './table-text.js';
import { shortName } from './units.js';

export const BUDGET_SOURCE = '164-TCKH';
const INDICATOR_NAME = 'Thu ngân sách nhà nước trên địa bàn';

interface HalfLayout {
  name: string;
  layout: TextLayout;
  header: string[];
  row(ward: WardFigures, kind: 'actual' | 'plan', line: number): string[];
}

function firstHalf(year: number, words: boolean): HalfLayout {
  const period = words ? `6 tháng đầu năm ${year}` : `${year}S1`;
  const planPeriod = words ? `Năm ${year}` : String(year);
  return {
    name: words ? `thu-ngan-sach-6-thang-dau-nam-${year}.csv` : `thu-ngan-sach-${year}S1.csv`,
    layout: { delimiter: ',', eol: '\n', encoding: 'utf8', quoteNumbers: true },
    header: ['Đơn vị', 'Chỉ tiêu', 'Kỳ', 'Giá trị', 'ĐVT', 'Loại số liệu'],
    row: (ward, kind) =>
      kind === 'actual'
        ? [shortName(ward.unit), INDICATOR_NAME, period, written(at(ward.budget, `${year}S1`), 2, 'vi'), 'tỷ đồng', 'Thực hiện']
        : [shortName(ward.unit), INDICATOR_NAME, planPeriod, written(at(ward.planProvince, String(year)), 0, 'vi'), 'triệu đồng', 'KH tỉnh giao'],
  };
}

function secondHalf(year: number, encoding: TextLayout['encoding']): HalfLayout {
  return {
    name: `thu-ngan-sach-6-thang-cuoi-nam-${year}.csv`,
    layout: { delimiter: ';', eol: '\r\n', encoding },
    header: ['STT', 'Phường/Xã', 'Chỉ tiêu', 'Kỳ báo cáo', 'Thực hiện', 'Đơn vị tính'],
    row: (ward, _kind, line) => [String(line), ward.unit.name, 'Thu NSNN', `6 tháng cuối năm ${year}`, written(at(ward.budget, `${year}S2`), 2, 'vi'), 'tỷ đồng'],
  };
}

function halfTable(wards: WardFigures[], year: number, half: number): { name: string; bytes: Buffer; values: number; periods: string[] } {
  // 2021 in words, later years in codes; plan rows while the plan still came with the report.
  const layout = half === 1 ? firstHalf(year, year === 2021) : secondHalf(year, year >= 2023 ? 'windows1258' : 'utf8-bom');
  const withPlan = half === 1 && year < 2023;
  const rows: string[][] = [layout.header];
  wards.forEach((ward, i) => {
    rows.push(layout.row(ward, 'actual', i + 1));
    if (withPlan) rows.push(layout.row(ward, 'plan', i + 1));
  });
  const periods = withPlan ? [String(year), `${year}S1`] : [`${year}S${half}`];
  return { name: layout.name, bytes: renderTable(rows, layout.layout), values: wards.length * (withPlan ? 2 : 1), periods };
}

/** The year's plan as a wide table (form ward-budget): province plan in triệu, the city's in tỷ. */
function planTable(wards: WardFigures[], year: number): { bytes: Buffer; values: number } {
  const rows: string[][] = [['STT', 'Đơn vị', 'Kế hoạch tỉnh giao (triệu đồng)', 'KH thành phố (tỷ đồng)']];
  let province = 0;
  let city = 0;
  wards.forEach((ward, i) => {
    const p = at(ward.planProvince, String(year));
    const c = at(ward.planCity, String(year));
    province += p;
    city += c;
    rows.push([String(i + 1), ward.unit.name, written(p, 0, 'vi'), written(c, 2, 'vi')]);
  });
  rows.push(['', 'Tổng cộng', written(province, 0, 'vi'), written(city, 2, 'vi')]);
  return { bytes: renderTable(rows, { delimiter: ';', eol: '\r\n', encoding: 'utf8-bom' }), values: wards.length * 2 };
}

export function budgetFiles(seed: number, wards: WardFigures[], slots: Map<string, SlotPlan>, years: readonly number[]): DemoFile[] {
  const files: DemoFile[] = [];
  for (const year of years) {
    if (year >= 2023) {
      const plan = planTable(wards, year);
      files.push({
        source: BUDGET_SOURCE,
        form: 'ward-budget',
        name: `giao-du-toan-thu-ngan-sach-nam-${year}.csv`,
        bytes: plan.bytes,
        submittedAt: looseTime(seed, `plan-${year}`, `${year}-01-04`, 10),
        values: plan.values,
        periods: [String(year)],
      });
    }
    for (const half of [1, 2]) {
      const slot = slots.get(slotKey(BUDGET_SOURCE, `${year}S${half}`));
      if (!slot || slot.intended === 'missing' || slot.intended === 'rejected') continue;
      const table = halfTable(wards, year, half);
      files.push({ source: BUDGET_SOURCE, form: 'long', name: table.name, bytes: table.bytes, submittedAt: slot.times[0]!, values: table.values, periods: table.periods });
    }
  }
  return files;
}
