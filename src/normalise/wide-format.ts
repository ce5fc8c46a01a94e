// Wide format: one row per unit, one column per indicator, as departments export tables from
// Excel. The form (schemas/forms/) is recognised from the header; the total row is checked, never
// loaded.
import type { CatalogLookup, Indicator } from '../catalog/lookup.js';
import type { FormColumn, FormRecord } from '../catalog/model.js';
import { add, divide, equals, format, multiply, parseDecimal, round, ZERO, type Decimal } from './decimal.js';
import type { NumberConvention } from './numbers.js';
import { formatNumber, readNumber } from './numbers.js';
import { problem, type Problem } from './problems.js';
import type { TableRecord } from './read-table.js';
import type { ValueTexts } from './resolve-value.js';
import { fold } from './text.js';
import { uomInHeader } from './uom.js';
import { matchLongHeader } from './vocabulary.js';

export interface WideColumn {
  index: number;
  header: string;
  column: FormColumn;
  indicator: Indicator;
  /** the form column's unit, or the one this file's header names instead ("Thực hiện (nghìn đồng)") */
  uom: string;
}

export interface WideLayout {
  form: FormRecord;
  header: string[];
  unitIndex: number;
  periodIndex?: number;
  statusIndex?: number;
  noteIndex?: number;
  columns: WideColumn[];
  /** non-empty headers that are neither STT, unit, period, status, note nor a form column */
  unknown: { index: number; header: string }[];
}

const TOTAL_WORDS = new Set(['tong cong', 'cong', 'tong', 'tong so', 'toan thanh pho', 'total']);

export function isTotalRow(unitText: string): boolean {
  return TOTAL_WORDS.has(fold(unitText).replace(/[:.]$/, ''));
}

// "Số điểm tạo mã QR (điểm)" matches "Số điểm tạo mã QR" too.
function headerKeys(header: string): string[] {
  const full = fold(header);
  const bare = fold(header.replace(/\s*\([^)]*\)\s*$/, ''));
  return bare && bare !== full ? [full, bare] : [full];
}

/** The form whose columns this header matches most (at least one indicator column and a unit column). */
export function recogniseForm(header: string[], catalog: CatalogLookup): WideLayout | null {
  let best: WideLayout | null = null;
  for (const form of catalog.forms) {
    const unitKeys = new Set(form.unitHeaders.map(fold));
    const byHeader = new Map<string, FormColumn>();
    for (const column of form.columns) for (const h of column.headers) byHeader.set(fold(h), column);
    const layout: WideLayout = { form, header, unitIndex: -1, columns: [], unknown: [] };
    const used = new Set<FormColumn>();
    header.forEach((name, index) => {
      const keys = headerKeys(name);
      if (keys[0] === '') return; // trailing empty columns from Excel
      const full = byHeader.get(keys[0]!);
      const column = full ?? (keys[1] === undefined ? undefined : byHeader.get(keys[1]));
      const indicator = column ? catalog.indicators.get(column.indicator) : undefined;
      if (column && indicator && !used.has(column)) {
        used.add(column);
        // Matched without its parenthetical: a unit written there is this file's, not the form's.
        const uom = (full ? null : uomInHeader(name)) ?? column.uom;
        layout.columns.push({ index, header: name, column, indicator, uom });
        return;
      }
      const role = keys.some((k) => unitKeys.has(k)) ? 'unit' : matchLongHeader(name);
      if (role === 'unit' && layout.unitIndex < 0) layout.unitIndex = index;
      else if (role === 'period' && layout.periodIndex === undefined) layout.periodIndex = index;
      else if (role === 'status' && layout.statusIndex === undefined) layout.statusIndex = index;
      else if (role === 'note' && layout.noteIndex === undefined) layout.noteIndex = index;
      else if (role !== 'stt') layout.unknown.push({ index, header: name });
    });
    if (layout.unitIndex < 0 || layout.columns.length === 0) continue;
    if (!best || layout.columns.length > best.columns.length) best = layout;
  }
  return best;
}

export function unknownColumnProblems(layout: WideLayout): Problem[] {
  const known = layout.form.columns.flatMap((c) => c.headers).join('; ');
  return layout.unknown.map((u) => problem('UNKNOWN_COLUMN', { row: 1, column: u.header, value: u.header }, { form: layout.form.nameVi, known }));
}

/** The texts of one value of a wide row (one cell of an indicator column). */
export function wideValueTexts(layout: WideLayout, record: TableRecord, column: WideColumn): ValueTexts {
  const cell = (index: number | undefined) =>
    index === undefined ? null : { text: record.fields[index] ?? '', column: layout.header[index] ?? '' };
  return {
    row: record.line,
    valueColumn: column.header,
    sourceColumn: column.header,
    unit: cell(layout.unitIndex),
    indicator: column.indicator,
    period: cell(layout.periodIndex),
    value: record.fields[column.index] ?? '',
    uom: { text: column.uom, column: column.header },
    series: { text: column.column.series, column: column.header },
    status: cell(layout.statusIndex),
    note: cell(layout.noteIndex)?.text || null,
  };
}

interface ReadingSums {
  sum: Decimal | null; // null once a cell cannot be read this way
  weighted: Decimal | null;
  weights: Decimal | null;
  yes: number;
}

type Convention = NumberConvention;

/**
 * Checks a total row ("Tổng cộng") against the rows, column by column, under both number
 * readings; the file's convention (known only at the end) picks which one counts.
 */
export class TotalsCheck {
  private readonly sums = new Map<WideColumn, Record<Convention, ReadingSums>>();
  private total: TableRecord | null = null;

  constructor(private readonly layout: WideLayout) {
    for (const column of layout.columns) {
      const empty = (): ReadingSums => ({ sum: ZERO, weighted: ZERO, weights: ZERO, yes: 0 });
      this.sums.set(column, { vi: empty(), en: empty() });
    }
  }

  setTotal(record: TableRecord) {
    this.total = record;
  }

  addRow(record: TableRecord) {
    for (const column of this.layout.columns) {
      const reading = readNumber(record.fields[column.index] ?? '');
      if (reading.kind === 'empty') continue;
      const weightColumn = this.weightColumn(column);
      const weightReading = weightColumn ? readNumber(record.fields[weightColumn.index] ?? '') : null;
      for (const convention of ['vi', 'en'] as const) {
        const s = this.sums.get(column)![convention];
        const text = reading.kind === 'number' ? reading[convention] : null;
        if (text === null) {
          s.sum = s.weighted = s.weights = null;
          continue;
        }
        const value = parseDecimal(text);
        if (s.sum) s.sum = add(s.sum, value);
        if (value.units !== 0n) s.yes++;
        const weightText = weightReading?.kind === 'number' ? weightReading[convention] : null;
        if (weightText !== null && s.weighted && s.weights) {
          const weight = parseDecimal(weightText);
          s.weighted = add(s.weighted, multiply(value, weight));
          s.weights = add(s.weights, weight);
        }
      }
    }
  }

  problems(convention: Convention): Problem[] {
    if (!this.total) return [];
    const found: Problem[] = [];
    for (const column of this.layout.columns) {
      const reading = readNumber(this.total.fields[column.index] ?? '');
      if (reading.kind !== 'number' || reading[convention] === null) continue;
      const totalText = reading[convention]!;
      const decimals = totalText.includes('.') ? totalText.split('.')[1]!.length : 0;
      const expected = this.expected(column, convention, decimals);
      if (expected === null) continue; // not aggregatable, or the rows cannot be read: nothing to compare
      if (!equals(expected, parseDecimal(totalText))) {
        found.push(
          problem('TOTAL_MISMATCH', { row: this.total.line, column: column.header, value: this.total.fields[column.index] ?? '' }, {
            expected: formatNumber(format(expected), convention), // as the file writes numbers
            aggregation: column.indicator.aggregation,
          }),
        );
      }
    }
    return found;
  }

  private expected(column: WideColumn, convention: Convention, decimals: number): Decimal | null {
    const s = this.sums.get(column)![convention];
    switch (column.indicator.aggregation) {
      case 'sum':
        return s.sum ? round(s.sum, decimals) : null;
      case 'count_true':
        return parseDecimal(String(s.yes));
      case 'weighted_mean':
        return this.weightColumn(column) && s.weighted && s.weights && s.weights.units !== 0n ? divide(s.weighted, s.weights, decimals) : null;
      default:
        return null;
    }
  }

  private weightColumn(column: WideColumn): WideColumn | undefined {
    const weight = column.indicator.weight_indicator;
    return weight ? this.layout.columns.find((c) => c.indicator.code === weight && c.column.series === column.column.series) : undefined;
  }
}
