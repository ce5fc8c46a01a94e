// How each ward's officer writes the half-year report: the same figures in five habits seen in
// real submissions (SPEC §4): codes or Vietnamese names or aliases, period words or codes,
// Vietnamese or English numbers, UTF-8 (with or without BOM), Windows-1258, ; , or tab.
import type { IndicatorRecord } from '../catalog/model.js';
import { formatPeriod, periodInfo } from '../normalise/periods.js';
import { stream } from './random.js';
import { written, type TextLayout } from './table-text.js';
import type { DemoUnit } from './units.js';

export type WardStyleId = 'codes-bom' | 'names-comma' | 'aliases-1258' | 'unit-column-tab' | 'english';

/** One value of a ward report, before it is written in a style. */
export interface ReportRow {
  indicator: string;
  period: string;
  /** value as a whole number of 10^-scale; null: the cell is left as "-" (no figure) */
  units: number | null;
  scale: number;
  uomVi: string;
  uomEn: string;
  status: 'estimate' | 'official' | null;
  note?: string;
  /** broken files: the text written instead of the number, or instead of the indicator, or the unit */
  rawValue?: string;
  rawIndicator?: string;
  unitCode?: string;
}

export interface WardStyle {
  id: WardStyleId;
  layout: TextLayout;
  convention: 'vi' | 'en';
  /** reports the half's QR scans as two quarters */
  quarterScans: boolean;
  /** writes budget revenue in triệu đồng instead of tỷ đồng */
  budgetInMillions: boolean;
  header: string[];
  fileName(year: number, half: number, ward: DemoUnit): string;
  cells(row: ReportRow, ctx: { ward: DemoUnit; indicator: IndicatorRecord | undefined; line: number }): string[];
}

const halfWord = (half: number) => (half === 1 ? 'dau' : 'cuoi');

function valueText(row: ReportRow, convention: 'vi' | 'en'): string {
  if (row.rawValue !== undefined) return row.rawValue;
  return row.units === null ? '-' : written(row.units, row.scale, convention);
}

const STATUS_WORDS: Record<WardStyleId, { estimate: string; official: string }> = {
  'codes-bom': { estimate: 'ước', official: 'chính thức' },
  'names-comma': { estimate: 'Ước thực hiện', official: 'Chính thức' },
  'aliases-1258': { estimate: 'ƯTH', official: '' },
  'unit-column-tab': { estimate: 'ước tính', official: 'chính thức' },
  english: { estimate: 'estimate', official: 'official' },
};

const statusText = (id: WardStyleId, row: ReportRow) => (row.status ? STATUS_WORDS[id][row.status] : '');
const indicatorCode = (row: ReportRow) => row.rawIndicator ?? row.indicator;
const indicatorName = (row: ReportRow, indicator: IndicatorRecord | undefined) => row.rawIndicator ?? indicator?.nameVi ?? row.indicator;
const indicatorAlias = (row: ReportRow, indicator: IndicatorRecord | undefined) =>
  row.rawIndicator ?? indicator?.aliases[0] ?? indicator?.nameVi ?? row.indicator;

/** "6T đầu năm 2022", "Quý II/2022". */
function shortPeriodWords(code: string): string {
  const p = periodInfo(code)!;
  if (p.type === 'half') return `6T ${p.half === 1 ? 'đầu' : 'cuối'} năm ${p.year}`;
  return formatPeriod(code, 'vi');
}

/** "2022S1", "Q2/2022". */
function codeOrSlashQuarter(code: string): string {
  const p = periodInfo(code)!;
  return p.type === 'quarter' ? `Q${p.quarter}/${p.year}` : code;
}

export const WARD_STYLES: Record<WardStyleId, WardStyle> = {
  // Like examples/inbox/05440: codes, period words, UTF-8 with BOM, ";" and CRLF, a note column.
  'codes-bom': {
    id: 'codes-bom',
    layout: { delimiter: ';', eol: '\r\n', encoding: 'utf8-bom' },
    convention: 'vi',
    quarterScans: false,
    budgetInMillions: false,
    header: ['Mã chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính', 'Tình trạng', 'Ghi chú'],
    fileName: (year, half) => `bao-cao-6-thang-${halfWord(half)}-nam-${year}.csv`,
    cells: (row) => [indicatorCode(row), formatPeriod(row.period, 'vi'), valueText(row, 'vi'), row.uomVi, statusText('codes-bom', row), row.note ?? ''],
  },
  // Vietnamese indicator names, period codes, a comma file with quoted Vietnamese numbers, STT.
  'names-comma': {
    id: 'names-comma',
    layout: { delimiter: ',', eol: '\n', encoding: 'utf8', quoteNumbers: true },
    convention: 'vi',
    quarterScans: false,
    budgetInMillions: false,
    header: ['STT', 'Chỉ tiêu', 'Kỳ', 'Số liệu', 'ĐVT', 'Tình trạng'],
    fileName: (year, half) => `bc-${year}S${half}.csv`,
    cells: (row, { indicator, line }) => [String(line - 1), indicatorName(row, indicator), row.period, valueText(row, 'vi'), row.uomVi, statusText('names-comma', row)],
  },
  // An old Windows machine: Windows-1258, aliases, "6T đầu năm 2022", quarters for QR scans.
  'aliases-1258': {
    id: 'aliases-1258',
    layout: { delimiter: ';', eol: '\r\n', encoding: 'windows1258' },
    convention: 'vi',
    quarterScans: true,
    budgetInMillions: false,
    header: ['Tên chỉ tiêu', 'Thời gian', 'Giá trị', 'Đơn vị tính', 'Tình trạng'],
    fileName: (year, half) => `BC 6 thang ${halfWord(half)} nam ${year}.csv`,
    cells: (row, { indicator }) => [indicatorAlias(row, indicator), shortPeriodWords(row.period), valueText(row, 'vi'), row.uomVi, statusText('aliases-1258', row)],
  },
  // A tab-separated export with the ward's own code on every row; budget in triệu đồng.
  'unit-column-tab': {
    id: 'unit-column-tab',
    layout: { delimiter: '\t', eol: '\n', encoding: 'utf8' },
    convention: 'vi',
    quarterScans: true,
    budgetInMillions: true,
    header: ['Mã đơn vị', 'Mã chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính', 'Tình trạng'],
    fileName: (year, half, ward) => `${ward.code}_${year}S${half}.txt`,
    cells: (row, { ward }) => [row.unitCode ?? ward.code, indicatorCode(row), codeOrSlashQuarter(row.period), valueText(row, 'vi'), row.uomVi, statusText('unit-column-tab', row)],
  },
  // English Excel: English headers and numbers (1,024 / 42.75), CRLF.
  english: {
    id: 'english',
    layout: { delimiter: ',', eol: '\r\n', encoding: 'utf8', quoteNumbers: true },
    convention: 'en',
    quarterScans: false,
    budgetInMillions: false,
    header: ['indicator_code', 'period', 'value', 'uom', 'status'],
    fileName: (year, half) => `report-${year}S${half}.csv`,
    cells: (row) => [indicatorCode(row), row.period, valueText(row, 'en'), row.uomEn, statusText('english', row)],
  },
};

const STYLE_MIX: WardStyleId[] = [
  ...Array<WardStyleId>(10).fill('codes-bom'),
  ...Array<WardStyleId>(7).fill('names-comma'),
  ...Array<WardStyleId>(5).fill('aliases-1258'),
  ...Array<WardStyleId>(5).fill('unit-column-tab'),
  ...Array<WardStyleId>(5).fill('english'),
];

/** Each ward keeps its habit for every report. */
export function assignStyles(seed: number, wards: DemoUnit[]): Map<string, WardStyle> {
  const rng = stream(seed, 'ward-styles');
  const order = rng.shuffle(wards.map((w) => w.code));
  return new Map(order.map((code, i) => [code, WARD_STYLES[STYLE_MIX[i % STYLE_MIX.length]!]]));
}
