// Deterministic test data for the bench: the same options always give the same bytes.
//
// Key space of the department files: the 32 wards of TP Thái Nguyên (valid 2000-01-01 to
// 2025-06-30 in schemas/units) × the sum-type indicators of schemas/indicators.csv × every period
// of the years 2000–2024 (12 months, 4 quarters, 2 halves, the year, 12 year-to-date periods) × the
// three series. That is 32 × 29 × 25 × 31 × 3 = 2,157,600 distinct (unit, indicator, period,
// series) cells, enough for the 1,000,000-row file and the 2,000,000-observation warehouse. Months
// alone would give only 32 × 29 × 300 = 278,400 (units are not valid before 2000, so 1990–1999
// cannot be used). Keys are enumerated year → unit → indicator → period → series, the order a
// department exports its history in.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { SELF_REPORTING_TYPES, type Catalog } from '../src/catalog/model.js';

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2024;
export const YEARS = LAST_YEAR - FIRST_YEAR + 1;
export const CITY = '164';

export interface GenIndicator {
  code: string;
  uom: string;
  /** text written in the unit-of-measure column ('' when the pipeline has no word for the unit) */
  uomText: string;
  integer: boolean;
}

export interface Universe {
  wards: string[]; // the 32 GSO codes below 164, sorted
  indicators: GenIndicator[]; // sum-type indicators, in catalogue order
  /** every ward or commune of the pre-2025 edition (each is a source for itself) */
  allUnits: string[];
}

// A word the pipeline converts to each canonical unit (factor 1). `km` has none (see README).
const UOM_TEXT: Record<string, string> = {
  bn_vnd: 'tỷ đồng',
  mn_usd: 'triệu USD',
  ha: 'ha',
  count: 'số lượng',
  persons: 'người',
  households: 'hộ',
};
const INTEGER_UOMS = new Set(['count', 'persons', 'households']);

export function universe(catalog: Catalog): Universe {
  const old = catalog.units.filter((u) => u.validTo !== null && u.validTo < '2025-07-01');
  const wards = old.filter((u) => u.parentCode === CITY).map((u) => u.code).sort();
  const allUnits = old.filter((u) => SELF_REPORTING_TYPES.has(u.type)).map((u) => u.code).sort();
  const indicators = catalog.indicators
    .filter((i) => i.aggregation === 'sum')
    .map((i) => ({ code: i.code, uom: i.uom, uomText: UOM_TEXT[i.uom] ?? '', integer: INTEGER_UOMS.has(i.uom) }));
  if (wards.length === 0 || indicators.length === 0) throw new Error('bench: the catalogue has no wards below 164 or no sum indicators');
  return { wards, indicators, allUnits };
}

/** The 31 periods of a year, in the order a history file lists them. */
export function periodsOfYear(year: number): string[] {
  const mm = (m: number) => String(m).padStart(2, '0');
  const out: string[] = [];
  for (let m = 1; m <= 12; m++) out.push(`${year}${mm(m)}`);
  for (let q = 1; q <= 4; q++) out.push(`${year}Q${q}`);
  out.push(`${year}S1`, `${year}S2`, `${year}`);
  for (let m = 1; m <= 12; m++) out.push(`${year}YTD${mm(m)}`);
  return out;
}
export const PERIODS_PER_YEAR = 31;

export const SERIES = [
  { code: 'actual', text: 'Thực hiện' },
  { code: 'plan_province', text: 'KH tỉnh giao' },
  { code: 'plan_city', text: 'KH thành phố' },
] as const;

export const STATUS = {
  official: { code: 'official', text: 'Chính thức' },
  estimate: { code: 'estimate', text: 'Ước' },
} as const;

export interface Cell {
  index: number;
  year: number;
  unit: string;
  indicator: GenIndicator;
  period: string;
  series: (typeof SERIES)[number];
}

export function keySpaceSize(u: Universe): number {
  return YEARS * u.wards.length * u.indicators.length * PERIODS_PER_YEAR * SERIES.length;
}

/** The first `count` cells of the department key space. */
export function* cells(u: Universe, count: number): Generator<Cell> {
  const total = keySpaceSize(u);
  if (count > total) throw new Error(`bench: asked for ${count} distinct cells, the key space has ${total}`);
  let index = 0;
  for (let y = 0; y < YEARS; y++) {
    const year = FIRST_YEAR + y;
    const periods = periodsOfYear(year);
    for (const unit of u.wards) {
      for (const indicator of u.indicators) {
        for (const period of periods) {
          for (const series of SERIES) {
            if (index >= count) return;
            yield { index, year, unit, indicator, period, series };
            index++;
          }
        }
      }
    }
  }
}

/** A well-mixed 32-bit hash of an integer (deterministic "random" values). */
export function hash32(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export interface Amount {
  /** as a ward writes it, vi-VN: 12.345,67 (never ambiguous: always two decimals unless an integer count) */
  vi: string;
  /** plain decimal for COPY: 12345.67 */
  plain: string;
}

function groupVi(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

// Seeds of a file's revisions never meet: a revision's seeds start past every cell index.
const REVISION_STRIDE = 100_000_007;

export function amount(seed: number, integer: boolean): Amount {
  const h = hash32(seed);
  if (integer) {
    // Counts without a thousands separator ("1.234" would only be settled by the file's other values).
    const n = String(h % 100_000);
    return { vi: n, plain: n };
  }
  const cents = h % 10_000_000; // 0,00 … 99.999,99
  const int = String(Math.floor(cents / 100));
  const frac = String(cents % 100).padStart(2, '0');
  return { vi: `${groupVi(int)},${frac}`, plain: `${int}.${frac}` };
}

/** Writes lines to a file with back-pressure, in ~1 MB chunks; returns the bytes written. */
export async function writeLines(file: string, lines: Iterable<string>): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let buffer = '';
  let bytes = 0;
  const flush = async () => {
    if (!buffer) return;
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  for (const line of lines) {
    buffer += line + '\n';
    if (buffer.length >= 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

export const DEPARTMENT_HEADER = 'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;Loại số liệu;Tình trạng';

function statusOf(cell: Cell) {
  return hash32(cell.index * 7 + 3) % 10 === 0 ? STATUS.estimate : STATUS.official;
}

/**
 * A department's long-format history file (what 164-CTK would drop). A later `revision` is the
 * same file corrected: the same cells and statuses, every value drawn again.
 */
export function* departmentFile(u: Universe, rows: number, { notes, revision = 0 }: { notes?: NotePool; revision?: number } = {}): Generator<string> {
  yield notes ? `${DEPARTMENT_HEADER};Ghi chú` : DEPARTMENT_HEADER;
  for (const c of cells(u, rows)) {
    const v = amount(c.index + revision * REVISION_STRIDE, c.indicator.integer);
    const line = `${c.unit};${c.indicator.code};${c.period};${v.vi};${c.indicator.uomText};${c.series.text};${statusOf(c).text}`;
    yield notes ? `${line};${notes.pick(c.index)}` : line;
  }
}

/** The same rows with codes already resolved, as `psql \copy ... (FORMAT csv, HEADER)` reads them. */
export function* resolvedCopyFile(u: Universe, rows: number, unitKeys: Map<string, number>): Generator<string> {
  yield 'unit_key,indicator_code,period_code,series,status,value';
  for (const c of cells(u, rows)) {
    const key = unitKeys.get(c.unit);
    if (key === undefined) throw new Error(`bench: no unit_key for ${c.unit}`);
    yield `${key},${c.indicator.code},${c.period},${c.series.code},${statusOf(c).code},${amount(c.index, c.indicator.integer).plain}`;
  }
}

/** Rows of a ward's own monthly report: no unit column (the folder says who), 50 values. */
export const WARD_HEADER = 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;Loại số liệu;Tình trạng';

export function* wardFile(u: Universe, opts: { period: string; rows: number; seed: number; status?: keyof typeof STATUS }): Generator<string> {
  yield WARD_HEADER;
  const status = STATUS[opts.status ?? 'official'];
  const combos = u.indicators.length * SERIES.length;
  if (opts.rows > combos) throw new Error(`bench: a ward file can hold at most ${combos} distinct values for one period`);
  for (let j = 0; j < opts.rows; j++) {
    const indicator = u.indicators[j % u.indicators.length]!;
    const series = SERIES[Math.floor(j / u.indicators.length)]!;
    const v = amount(opts.seed * 131 + j, indicator.integer);
    yield `${indicator.code};${opts.period};${v.vi};${indicator.uomText};${series.text};${status.text}`;
  }
}

/** One row per month and sum indicator for one unit and one year (the --years scale mode). */
export function* wardYearFile(u: Universe, unitIndex: number, year: number): Generator<string> {
  yield WARD_HEADER;
  for (let m = 1; m <= 12; m++) {
    const period = `${year}${String(m).padStart(2, '0')}`;
    for (const [k, indicator] of u.indicators.entries()) {
      const v = amount(((year * 1000 + unitIndex) * 12 + m) * 64 + k, indicator.integer);
      yield `${indicator.code};${period};${v.vi};${indicator.uomText};${SERIES[0].text};${STATUS.official.text}`;
    }
  }
}

/** The n-th ward file of the small-files scenario: ward i mod 32, one month each, from 2000-01 on. */
export function smallFilePlan(u: Universe, i: number): { ward: string; period: string; name: string } {
  const ward = u.wards[i % u.wards.length]!;
  const m = Math.floor(i / u.wards.length);
  const year = FIRST_YEAR + Math.floor(m / 12);
  if (year > LAST_YEAR) throw new Error('bench: too many small files for the years the wards exist');
  const period = `${year}${String((m % 12) + 1).padStart(2, '0')}`;
  return { ward, period, name: `bao-cao-thang-${period}.csv` };
}

// Vietnamese notes for the ~1 GB file: the file is long because its rows carry remarks, as the
// statistics office's exports do, so its (unit, indicator, period, series) keys stay distinct.
const PHRASES = [
  'Số liệu tổng hợp từ báo cáo của các phòng, ban chuyên môn',
  'ước thực hiện đến hết kỳ báo cáo',
  'đã đối chiếu với số liệu của Kho bạc Nhà nước thành phố',
  'chưa bao gồm các khoản thu tiền sử dụng đất',
  'theo Quyết định giao dự toán của Ủy ban nhân dân tỉnh',
  'số liệu điều chỉnh sau rà soát của Chi cục Thống kê',
  'tăng so với cùng kỳ do nguồn thu từ các dự án mới đi vào hoạt động',
  'giảm do ảnh hưởng của thời tiết và giá cả thị trường',
  'đơn vị đã rà soát, thống nhất với phường, xã',
  'số liệu sơ bộ, sẽ cập nhật khi có báo cáo chính thức',
];

export class NotePool {
  private readonly notes: string[] = [];
  /** notes whose UTF-8 size is spread evenly around `averageBytes` (±30 %) */
  constructor(averageBytes: number, size = 97) {
    for (let k = 0; k < size; k++) {
      const target = Math.max(20, Math.round(averageBytes * (0.7 + (0.6 * k) / (size - 1))));
      let note = '';
      for (let p = k; Buffer.byteLength(note) < target; p++) note += (note ? ', ' : '') + PHRASES[p % PHRASES.length];
      // cut back to the target size on a character boundary
      while (Buffer.byteLength(note) > target) note = note.slice(0, -1);
      this.notes.push(note.trim());
    }
  }
  pick(index: number): string {
    return this.notes[hash32(index * 13 + 5) % this.notes.length]!;
  }
}
