// Long format: one value per row, columns recognised by their (Vietnamese or English) header.
import { problem, type Problem } from './problems.js';
import type { TableRecord } from './read-table.js';
import type { ValueTexts } from './resolve-value.js';
import { uomInHeader } from './uom.js';
import { matchLongHeader, type LongColumn } from './vocabulary.js';

export interface LongLayout {
  header: string[];
  columns: Partial<Record<LongColumn, number>>;
  /** the unit the value column's header names ("Giá trị (triệu đồng)"): the unit of a row without its own */
  valueUom: string | null;
}

const REQUIRED: { column: LongColumn; vi: string; en: string }[] = [
  { column: 'indicator', vi: 'Mã chỉ tiêu', en: 'indicator' },
  { column: 'value', vi: 'Giá trị', en: 'value' },
];

export function longLayout(header: string[]): LongLayout {
  const columns: Partial<Record<LongColumn, number>> = {};
  header.forEach((name, index) => {
    const match = matchLongHeader(name);
    if (match && match !== 'stt' && columns[match] === undefined) columns[match] = index;
  });
  const valueHeader = columns.value === undefined ? undefined : header[columns.value];
  return { header, columns, valueUom: valueHeader === undefined ? null : uomInHeader(valueHeader) };
}

export function missingLongColumns(layout: LongLayout): Problem[] {
  return REQUIRED.filter((r) => layout.columns[r.column] === undefined).map((r) =>
    problem('MISSING_COLUMN', { row: 1, column: r.en }, {
      column: r.en,
      column_vi: r.vi,
      required: 'indicator, value (and unit, period unless implied)',
      required_vi: 'Mã chỉ tiêu, Giá trị (và Mã đơn vị, Kỳ báo cáo nếu cần)',
    }),
  );
}

export function longValueTexts(layout: LayoutWithRequired, record: TableRecord): ValueTexts {
  const { columns, header } = layout;
  const noteIndex = columns.note;
  return {
    row: record.line,
    valueColumn: header[columns.value] ?? 'value',
    sourceColumn: null,
    unit: cell(layout, record, 'unit'),
    indicator: cell(layout, record, 'indicator')!,
    period: cell(layout, record, 'period'),
    value: record.fields[columns.value] ?? '',
    uom: uomOf(layout, record),
    series: cell(layout, record, 'series'),
    status: cell(layout, record, 'status'),
    note: (noteIndex === undefined ? '' : (record.fields[noteIndex] ?? '')) || null,
  };
}

// A module-level function, not a closure per row: this runs for every row of a file.
function cell(layout: LongLayout, record: TableRecord, column: LongColumn): { text: string; column: string } | null {
  const index = layout.columns[column];
  return index === undefined ? null : { text: record.fields[index] ?? '', column: layout.header[index] ?? column };
}

function uomOf(layout: LayoutWithRequired, record: TableRecord): { text: string; column: string } | null {
  const own = cell(layout, record, 'uom');
  if (own?.text.trim() || layout.valueUom === null) return own;
  return { text: layout.valueUom, column: layout.header[layout.columns.value] ?? 'value' };
}

export type LayoutWithRequired = LongLayout & { columns: { indicator: number; value: number } };

export function hasRequiredColumns(layout: LongLayout): layout is LayoutWithRequired {
  return layout.columns.indicator !== undefined && layout.columns.value !== undefined;
}
