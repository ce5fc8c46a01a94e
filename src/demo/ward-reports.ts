// Half-year reports of the wards and communes (inbox/<ward code>/), one per half in the ward's
// style, following the slot plan: missing reports are not written, broken ones are written with
// their fault (and, when the plan says so, followed by a corrected file).
import type { Catalog, IndicatorRecord } from '../catalog/model.js';
import { at, monthsOf, type WardFigures } from './figures.js';
import type { DemoFile } from './manifest.js';
import { stream } from './random.js';
import { slotKey, type SlotPlan } from './schedule.js';
import { renderTable, written } from './table-text.js';
import type { ReportRow, WardStyle } from './ward-styles.js';

const quartersOf = (year: number, half: number) => [`${year}Q${half * 2 - 1}`, `${year}Q${half * 2}`];
const monthsOfQuarter = (year: number, quarter: number) => monthsOf(year).slice((quarter - 1) * 3, quarter * 3);

/** The values one ward reports for one half, from its figures. */
export function wardReportRows(seed: number, ward: WardFigures, year: number, half: number, style: WardStyle): ReportRow[] {
  const rng = stream(seed, `ward-report/${ward.unit.code}/${year}S${half}`);
  const period = `${year}S${half}`;
  const months = monthsOf(year).slice((half - 1) * 6, half * 6);
  const end = at(ward.digital, months[months.length - 1]!);
  const social = at(ward.social, period);
  const rows: ReportRow[] = [];
  const annotate = style.id === 'codes-bom';
  const digitalStatus = annotate ? 'official' : null;

  // Budget: usually the ward's own estimate; some wards already have the treasury's official figure.
  const official = rng.chance(0.25);
  const budget = official ? at(ward.budget, period) : at(ward.budgetEstimate, period);
  rows.push({
    indicator: 'BUDGET_REVENUE',
    period,
    units: style.budgetInMillions ? budget * 10 : budget,
    scale: style.budgetInMillions ? 0 : 2,
    uomVi: style.budgetInMillions ? 'triệu đồng' : 'tỷ đồng',
    uomEn: 'billion VND',
    status: official ? 'official' : 'estimate',
    note: annotate ? (official ? 'Số liệu Kho bạc' : 'Ước thực hiện') : undefined,
  });
  rows.push({ indicator: 'QR_POINTS', period, units: end.qrPoints, scale: 0, uomVi: 'điểm', uomEn: 'count', status: digitalStatus });
  if (style.quarterScans) {
    for (const quarter of quartersOf(year, half)) {
      const q = Number(quarter.slice(-1));
      const scans = monthsOfQuarter(year, q).reduce((sum, m) => sum + at(ward.digital, m).qrScans, 0);
      rows.push({ indicator: 'QR_SCANS', period: quarter, units: scans, scale: 0, uomVi: 'lượt', uomEn: 'count', status: digitalStatus });
    }
  } else {
    const scans = months.reduce((sum, m) => sum + at(ward.digital, m).qrScans, 0);
    rows.push({ indicator: 'QR_SCANS', period, units: scans, scale: 0, uomVi: 'lượt', uomEn: 'count', status: digitalStatus });
  }
  if (end.eid !== null || style.id === 'names-comma') {
    rows.push({ indicator: 'EID_ACCOUNTS', period, units: end.eid, scale: 0, uomVi: 'tài khoản', uomEn: 'count', status: digitalStatus });
  }
  rows.push({ indicator: 'CCTV_CAMERAS', period, units: end.cctv, scale: 0, uomVi: 'camera', uomEn: 'count', status: digitalStatus });
  rows.push({ indicator: 'HOUSEHOLDS', period, units: social.households, scale: 0, uomVi: 'hộ', uomEn: 'households', status: null });
  rows.push({ indicator: 'POOR_HOUSEHOLDS', period, units: social.poor, scale: 0, uomVi: 'hộ', uomEn: 'households', status: null });
  rows.push({
    indicator: 'POOR_HOUSEHOLD_RATE',
    period,
    units: rateOf(social.poor, social.households),
    scale: 2,
    uomVi: '%',
    uomEn: '%',
    status: null,
  });
  return rows;
}

function rateOf(count: number, households: number): number {
  return Math.floor((2 * count * 10_000 + households) / (2 * households));
}

export function renderWardReport(style: WardStyle, ward: WardFigures, rows: ReportRow[], indicators: Map<string, IndicatorRecord>): Buffer {
  const table = [style.header, ...rows.map((row, i) => style.cells(row, { ward: ward.unit, indicator: indicators.get(row.indicator), line: i + 2 }))];
  return renderTable(table, style.layout);
}

const countValues = (rows: ReportRow[]) => rows.filter((r) => r.units !== null).length;
const periodsOfRows = (rows: ReportRow[]) => [...new Set(rows.map((r) => r.period))].sort();

function correctedName(name: string): string {
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}${name.includes(' ') ? ' sua lai' : '-sua-lai'}${name.slice(dot)}`;
}

/** The broken first attempt of a slot: the report with one deliberate fault. */
function breakReport(
  kind: NonNullable<SlotPlan['broken']>,
  rows: ReportRow[],
  ward: WardFigures,
  neighbour: WardFigures,
  style: WardStyle,
): { rows: ReportRow[]; code: string; reason: string } {
  const out = rows.map((r) => ({ ...r }));
  const lineOf = (index: number) => index + 2; // the header is line 1
  switch (kind) {
    case 'not_a_number': {
      const index = out.findIndex((r) => r.indicator === 'QR_POINTS');
      const row = out[index]!;
      row.rawValue = `khoảng ${written(Math.round((row.units ?? 0) / 100) * 100, 0, style.convention)}`;
      return { rows: out, code: 'NOT_A_NUMBER', reason: `line ${lineOf(index)}: QR_POINTS is written "${row.rawValue}" ("about …") instead of a number` };
    }
    case 'unknown_indicator': {
      const households = out.find((r) => r.indicator === 'HOUSEHOLDS')!;
      const words = style.id === 'names-comma' || style.id === 'aliases-1258';
      const text = words ? 'Số hộ sử dụng nước sạch' : 'CLEAN_WATER_HOUSEHOLDS';
      const cleanWater = Math.round((households.units ?? 0) * 0.97);
      out.push({ ...households, indicator: 'CLEAN_WATER_HOUSEHOLDS', rawIndicator: text, units: cleanWater });
      return { rows: out, code: 'UNKNOWN_INDICATOR', reason: `line ${lineOf(out.length - 1)}: indicator "${text}" (households with clean water) is not in the catalogue` };
    }
    case 'other_unit': {
      // The officer pasted a row from the neighbouring ward's sheet.
      const index = out.findIndex((r) => r.indicator === 'POOR_HOUSEHOLDS');
      const social = at(neighbour.social, out[index]!.period);
      out.splice(index + 1, 0, { ...out[index]!, units: social.poor, unitCode: neighbour.unit.code });
      return {
        rows: out,
        code: 'UNIT_NOT_ALLOWED',
        reason: `line ${lineOf(index + 1)}: a row about ${neighbour.unit.code} ${neighbour.unit.name}, not about ${ward.unit.code} itself`,
      };
    }
    case 'wrong_total':
      throw new Error('a ward report has no total row');
  }
}

export function wardReportFiles(
  seed: number,
  catalog: Catalog,
  wards: WardFigures[],
  styles: Map<string, WardStyle>,
  slots: Map<string, SlotPlan>,
  years: readonly number[],
): DemoFile[] {
  const indicators = new Map(catalog.indicators.map((i) => [i.code, i]));
  const files: DemoFile[] = [];
  wards.forEach((ward, index) => {
    const style = styles.get(ward.unit.code)!;
    const neighbour = wards[(index + 1) % wards.length]!;
    for (const year of years) {
      for (const half of [1, 2]) {
        const slot = slots.get(slotKey(ward.unit.code, `${year}S${half}`));
        if (!slot || slot.intended === 'missing') continue;
        const rows = wardReportRows(seed, ward, year, half, style);
        const name = style.fileName(year, half, ward.unit);
        let time = 0;
        if (slot.broken) {
          const broken = breakReport(slot.broken, rows, ward, neighbour, style);
          files.push({
            source: ward.unit.code,
            form: 'long',
            name,
            bytes: renderWardReport(style, ward, broken.rows, indicators),
            submittedAt: slot.times[time++]!,
            values: 0,
            periods: periodsOfRows(rows),
            broken: { kind: slot.broken, code: broken.code, reason: broken.reason },
          });
          if (slot.intended === 'rejected') continue;
        }
        files.push({
          source: ward.unit.code,
          form: 'long',
          name: slot.broken ? correctedName(name) : name,
          bytes: renderWardReport(style, ward, rows, indicators),
          submittedAt: slot.times[time]!,
          values: countValues(rows),
          periods: periodsOfRows(rows),
        });
      }
    }
  });
  return files;
}
