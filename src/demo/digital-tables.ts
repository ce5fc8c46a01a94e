// The digital-transformation table 164-VHTT sends every month (form ward-digital-transformation),
// as Excel saves "Unicode text": UTF-16LE with BOM, tab-separated, CRLF, an STT column, wards by
// bare name, and a "Tổng cộng" row that is exactly the column sums. Like
// examples/inbox/164-VHTT/chuyen-doi-so-202206.txt; e-ID and community-team columns from 2022.
import { at, type DigitalMonth, type WardFigures } from './figures.js';
import type { DemoFile } from './manifest.js';
import { slotKey, type SlotPlan } from './schedule.js';
import { renderTable, written, type TextLayout } from './table-text.js';
import { tableName } from './units.js';

export const DIGITAL_SOURCE = '164-VHTT';
const DIGITAL_FORM = 'ward-digital-transformation';

const LAYOUT: TextLayout = { delimiter: '\t', eol: '\r\n', encoding: 'utf16le-bom' };

interface Column {
  header: string;
  value: (m: DigitalMonth) => number | null;
}

const COLUMNS_2021: Column[] = [
  { header: 'Số điểm tạo mã QR', value: (m) => m.qrPoints },
  { header: 'Lượt quét mã QR', value: (m) => m.qrScans },
  { header: 'Tài khoản ứng dụng công dân số', value: (m) => m.citizenApp },
  { header: 'Camera giám sát', value: (m) => m.cctv },
];
const COLUMNS_2022: Column[] = [
  ...COLUMNS_2021.slice(0, 3),
  { header: 'Tài khoản định danh điện tử', value: (m) => m.eid },
  COLUMNS_2021[3]!,
  { header: 'Tổ công nghệ số cộng đồng', value: (m) => m.teams },
  { header: 'Thành viên tổ công nghệ số', value: (m) => m.members },
];

const vi = (n: number | null) => (n === null ? '-' : written(n, 0, 'vi'));

/** The table of one month; `totalError` adds that much to the QR-scan total (a typo). */
function digitalTable(wards: WardFigures[], month: string, totalError = 0): { bytes: Buffer; values: number } {
  const columns = month < '202201' ? COLUMNS_2021 : COLUMNS_2022;
  const rows: string[][] = [['STT', 'Phường/Xã', ...columns.map((c) => c.header)]];
  const totals = columns.map(() => 0);
  let values = 0;
  wards.forEach((ward, i) => {
    const figures = at(ward.digital, month);
    const cells = columns.map((c, j) => {
      const v = c.value(figures);
      if (v !== null) {
        totals[j]! += v;
        values++;
      }
      return vi(v);
    });
    rows.push([String(i + 1), tableName(ward.unit), ...cells]);
  });
  rows.push(['', 'Tổng cộng', ...totals.map((t, j) => vi(t + (columns[j]!.header === 'Lượt quét mã QR' ? totalError : 0)))]);
  return { bytes: renderTable(rows, LAYOUT), values };
}

export function digitalTableFiles(wards: WardFigures[], slots: Map<string, SlotPlan>, months: readonly string[]): DemoFile[] {
  const files: DemoFile[] = [];
  for (const month of months) {
    const slot = slots.get(slotKey(DIGITAL_SOURCE, month));
    if (!slot || slot.intended === 'missing') continue;
    const name = `chuyen-doi-so-${month}.txt`;
    let time = 0;
    if (slot.broken === 'wrong_total') {
      const broken = digitalTable(wards, month, 1_000);
      const total = rowsTotalLine(wards.length);
      files.push({
        source: DIGITAL_SOURCE,
        form: DIGITAL_FORM,
        name,
        bytes: broken.bytes,
        submittedAt: slot.times[time++]!,
        values: 0,
        periods: [month],
        broken: { kind: 'wrong_total', code: 'TOTAL_MISMATCH', reason: `line ${total}: the "Tổng cộng" of "Lượt quét mã QR" is 1.000 more than the sum of the rows` },
      });
      if (slot.intended === 'rejected') continue;
    }
    const table = digitalTable(wards, month);
    files.push({
      source: DIGITAL_SOURCE,
        form: DIGITAL_FORM,
      name: slot.broken ? `chuyen-doi-so-${month}-dieu-chinh.txt` : name,
      bytes: table.bytes,
      submittedAt: slot.times[time]!,
      values: table.values,
      periods: [month],
    });
  }
  return files;
}

/** Line of the total row: header, one line per ward, then the total. */
function rowsTotalLine(wardCount: number): number {
  return wardCount + 2;
}
