// Yearly long-format reports about the city itself and its communes:
//   164-NV   PAR Index, SIPAS, DDCI (like examples/inbox/164-NV: English numbers, unit 164)
//   164-KT   new-rural standards met by each commune (1 = đạt, 0 = chưa đạt)
//   164-CTK  gross output by sector and local industry (the resolution's growth targets)
import type { Catalog } from '../catalog/model.js';
import { at, type CityFigures, type WardFigures } from './figures.js';
import type { DemoFile } from './manifest.js';
import { looseTime, slotKey, type SlotPlan } from './schedule.js';
import { renderTable, written } from './table-text.js';

export const REFORM_SOURCE = '164-NV';
export const RURAL_SOURCE = '164-KT';
export const STATISTICS_SOURCE = '164-CTK';

function reformTable(city: CityFigures, cityCode: string, year: number): { bytes: Buffer; values: number } {
  const r = at(city.reform, String(year));
  const values: [string, string, string][] = [
    ['PAR_INDEX_SCORE', fixedTwo(r.par), 'points'],
    ['PAR_INDEX_RANK', String(r.parRank), 'rank'],
    ['SIPAS_SCORE', fixedTwo(r.sipas), '%'],
    ['DDCI_SCORE', fixedTwo(r.ddci), 'points'],
    ['DDCI_RANK', String(r.ddciRank), 'rank'],
    ['ADMIN_PROCEDURES_ONLINE_L34', String(r.onlineProcedures), 'count'],
  ];
  if (year === 2022) {
    // That year the office used its Vietnamese template: no unit column (it reports for the city only).
    const rows = [['Mã chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính', 'Tình trạng']];
    const viUom: Record<string, string> = { points: 'điểm', rank: 'hạng', '%': '%', count: 'thủ tục' };
    for (const [code, value, uom] of values) rows.push([code, `Năm ${year}`, value.replace('.', ','), viUom[uom] ?? uom, 'chính thức']);
    return { bytes: renderTable(rows, { delimiter: ';', eol: '\r\n', encoding: 'utf8-bom' }), values: values.length };
  }
  const rows = [['unit_code', 'indicator_code', 'period', 'value', 'uom', 'status']];
  for (const [code, value, uom] of values) rows.push([cityCode, code, String(year), value, uom, 'official']);
  return { bytes: renderTable(rows, { delimiter: ',', eol: '\n', encoding: 'utf8' }), values: values.length };
}

const fixedTwo = (hundredths: number) => written(hundredths, 2, 'en');

function ruralTable(catalog: Catalog, wards: WardFigures[], year: number): { bytes: Buffer; values: number } {
  const name = (code: string) => catalog.indicators.find((i) => i.code === code)?.nameVi ?? code;
  const rows = [['Xã', 'Chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính']];
  let values = 0;
  for (const ward of wards) {
    const met = ward.newRural?.get(String(year));
    if (!met) continue;
    rows.push([ward.unit.name, name('NEW_RURAL_ADVANCED'), `Năm ${year}`, met.advanced ? '1' : '0', 'Đạt/Không đạt']);
    rows.push([ward.unit.name, name('NEW_RURAL_MODEL'), `Năm ${year}`, met.model ? '1' : '0', 'Đạt/Không đạt']);
    values += 2;
  }
  return { bytes: renderTable(rows, { delimiter: ';', eol: '\n', encoding: 'utf8' }), values };
}

function outputTable(city: CityFigures, cityCode: string, year: number, lastYear: number): { bytes: Buffer; values: number } {
  const o = at(city.output, String(year));
  // The latest year is still preliminary (sơ bộ); earlier ones are official.
  const status = year === lastYear ? 'sơ bộ' : 'chính thức';
  const rows = [['Mã đơn vị', 'Mã chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính', 'Tình trạng']];
  const lines: [string, number][] = [
    ['PRODUCTION_VALUE_TOTAL', o.total],
    ['PRODUCTION_VALUE_INDUSTRY_CONSTRUCTION', o.industryConstruction],
    ['PRODUCTION_VALUE_SERVICES', o.services],
    ['PRODUCTION_VALUE_AGRICULTURE', o.agriculture],
    ['LOCAL_INDUSTRY_VALUE', o.localIndustry],
  ];
  // The statistics office's Excel is set to English: 2,644.9.
  for (const [code, tenths] of lines) rows.push([cityCode, code, `Năm ${year}`, written(tenths, 1, 'en'), 'tỷ đồng', status]);
  return { bytes: renderTable(rows, { delimiter: ',', eol: '\r\n', encoding: 'utf8', quoteNumbers: true }), values: lines.length };
}

export function departmentFiles(
  seed: number,
  catalog: Catalog,
  city: CityFigures,
  cityCode: string,
  wards: WardFigures[],
  slots: Map<string, SlotPlan>,
  years: readonly number[],
): DemoFile[] {
  const files: DemoFile[] = [];
  const lastYear = years[years.length - 1]!;
  for (const year of years) {
    const slot = slots.get(slotKey(REFORM_SOURCE, String(year)));
    if (slot && slot.intended !== 'missing' && slot.intended !== 'rejected') {
      const table = reformTable(city, cityCode, year);
      files.push({ source: REFORM_SOURCE, form: 'long', name: `cai-cach-hanh-chinh-${year}.csv`, bytes: table.bytes, submittedAt: slot.times[0]!, values: table.values, periods: [String(year)] });
    }
    const rural = ruralTable(catalog, wards, year);
    if (rural.values > 0) {
      files.push({
        source: RURAL_SOURCE,
        form: 'long',
        name: `nong-thon-moi-nam-${year}.csv`,
        bytes: rural.bytes,
        submittedAt: looseTime(seed, `rural-${year}`, `${year + 1}-01-08`, 14),
        values: rural.values,
        periods: [String(year)],
      });
    }
    const output = outputTable(city, cityCode, year, lastYear);
    files.push({
      source: STATISTICS_SOURCE,
      form: 'long',
      name: `gia-tri-san-xuat-nam-${year}.csv`,
      bytes: output.bytes,
      submittedAt: looseTime(seed, `output-${year}`, `${year + 1}-02-03`, 20),
      values: output.values,
      periods: [String(year)],
    });
  }
  return files;
}
