// Wide format: one row per unit, one column per indicator, as departments export tables from
// Excel. The form (schemas/forms/) is recognised from the header; the total row is checked, never
// loaded.
import type { CatalogLookup, Indicator } from '../catalog/lookup.js';
import type { FormColumn, FormRecord } from '../catalog/model.js';
import { absolute, add, divide, equals, format, lessThan, multiply, negate, oneUnit, parseDecimal, round, ZERO, type Decimal } from './decimal.js';
import type { NumberConvention } from './numbers.js';
import { formatNumber, readNumber } from './numbers.js';
import { problem, type Problem } from './problems.js';
import type { TableRecord } from './read-table.js';
import type { ValueTexts } from './resolve-value.js';
import { fold, trailingParenthetical } from './text.js';
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

// Subtotals are named after what they add up: "Cộng phường", "Cộng các xã". Not "Tổng …", which
// folds like the name of a place ("Tống Xá").
const SUBTOTAL = /^(?:cong|tong cong|total) \S/;

export function isTotalRow(unitText: string): boolean {
  const text = fold(unitText).replace(/[:.]$/, '');
  return TOTAL_WORDS.has(text) || SUBTOTAL.test(text);
}

// "Số điểm tạo mã QR (điểm)" matches "Số điểm tạo mã QR" too.
function headerKeys(header: string): string[] {
  const full = fold(header);
  const bare = fold(trailingParenthetical(header)?.bare ?? header);
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
type Sums = Map<WideColumn, Record<Convention, ReadingSums>>;

/** A total row, with the sums of the rows before it: all of them, and those since the previous total. */
interface TotalRow {
  record: TableRecord;
  all: Sums;
  since: Sums;
}

/**
 * Checks every total row ("Tổng cộng") against the rows, column by column, under both number
 * readings; the file's convention (known only at the end) picks which one counts. A total equals
 * the rows above it, or, after an earlier total, the rows since that one (a subtotal: "Cộng phường"
 * then "Cộng xã"); only the last total used to be checked, so a wrong one followed by a right one
 * passed.
 */
export class TotalsCheck {
  private all: Sums;
  private since: Sums;
  private readonly totals: TotalRow[] = [];
  /** a weighted mean's weight column, looked up once rather than per cell */
  private readonly weightColumns: Map<WideColumn, WideColumn | undefined>;

  constructor(private readonly layout: WideLayout) {
    this.all = this.emptySums();
    this.since = this.emptySums();
    this.weightColumns = new Map(
      layout.columns.map((column) => {
        const weight = column.indicator.weight_indicator;
        return [column, weight ? layout.columns.find((c) => c.indicator.code === weight && c.column.series === column.column.series) : undefined];
      }),
    );
  }

  private emptySums(): Sums {
    const empty = (): ReadingSums => ({ sum: ZERO, weighted: ZERO, weights: ZERO, yes: 0 });
    return new Map(this.layout.columns.map((column) => [column, { vi: empty(), en: empty() }]));
  }

  addTotal(record: TableRecord) {
    const copy = (sums: Sums): Sums => new Map([...sums].map(([column, s]) => [column, { vi: { ...s.vi }, en: { ...s.en } }]));
    this.totals.push({ record, all: copy(this.all), since: this.since });
    this.since = this.emptySums();
  }

  addRow(record: TableRecord) {
    for (const column of this.layout.columns) {
      const reading = readNumber(record.fields[column.index] ?? '');
      if (reading.kind === 'empty') continue;
      const weightColumn = this.weightColumns.get(column);
      const weightReading = weightColumn ? readNumber(record.fields[weightColumn.index] ?? '') : null;
      for (const convention of ['vi', 'en'] as const) {
        const text = reading.kind === 'number' ? reading[convention] : null;
        const weightText = weightReading?.kind === 'number' ? weightReading[convention] : null;
        for (const sums of [this.all, this.since]) addTo(sums.get(column)![convention], text, weightText);
      }
    }
  }

  problems(convention: Convention): Problem[] {
    const found: Problem[] = [];
    for (const total of this.totals) {
      for (const column of this.layout.columns) {
        const cell = total.record.fields[column.index] ?? '';
        const where = { row: total.record.line, column: column.header, value: cell };
        const reading = readNumber(cell);
        if (reading.kind === 'invalid') found.push(problem('NOT_A_NUMBER', where));
        if (reading.kind !== 'number' || reading[convention] === null) continue;
        const totalText = reading[convention]!;
        const decimals = totalText.includes('.') ? totalText.split('.')[1]!.length : 0;
        const given = parseDecimal(totalText);
        // A subtotal is checked against the rows since the previous total (the same rows for a first total).
        if (this.agrees(total.all, column, convention, given, decimals) || this.agrees(total.since, column, convention, given, decimals)) continue;
        const expected = this.expected(total.all, column, convention, decimals);
        if (expected === null) continue; // not aggregatable, or the rows cannot be read: nothing to compare
        found.push(
          problem('TOTAL_MISMATCH', where, {
            expected: formatNumber(format(expected), convention), // as the file writes numbers
            aggregation: column.indicator.aggregation,
          }),
        );
      }
    }
    return found;
  }

  /**
   * Whether a total agrees with the rows. A sum or a count must equal them to the total's last
   * digit. A weighted mean is made of rounded rows, so the true mean may lie up to half a unit of
   * their last decimal away from the mean of the written rows, and the total is itself rounded: it
   * agrees when it is less than one unit of its last decimal away from that mean (the rows taken
   * to be written to as many decimals as the total; read back, "1.50" cannot be told from "1.5").
   * Checking it exactly rejected correct poverty tables (1,89 % computed from the counts, 1,8958
   * from the rounded rates).
   */
  private agrees(sums: Sums, column: WideColumn, convention: Convention, given: Decimal, decimals: number): boolean {
    const s = sums.get(column)![convention];
    if (column.indicator.aggregation !== 'weighted_mean') {
      const expected = this.expected(sums, column, convention, decimals);
      return expected !== null && equals(expected, given);
    }
    if (!this.weightColumns.get(column) || !s.weighted || !s.weights || s.weights.units === 0n) return false;
    const mean = divide(s.weighted, s.weights, decimals + 6);
    return lessThan(absolute(add(mean, negate(given))), oneUnit(decimals));
  }

  private expected(sums: Sums, column: WideColumn, convention: Convention, decimals: number): Decimal | null {
    const s = sums.get(column)![convention];
    switch (column.indicator.aggregation) {
      case 'sum':
        return s.sum ? round(s.sum, decimals) : null;
      case 'count_true':
        return parseDecimal(String(s.yes));
      case 'weighted_mean':
        return this.weightColumns.get(column) && s.weighted && s.weights && s.weights.units !== 0n ? divide(s.weighted, s.weights, decimals) : null;
      default:
        return null;
    }
  }
}

/** Adds one cell (and its weight) to a column's sums under one reading; null: unreadable that way. */
function addTo(s: ReadingSums, text: string | null, weightText: string | null): void {
  if (text === null) {
    s.sum = s.weighted = s.weights = null;
    return;
  }
  const value = parseDecimal(text);
  if (s.sum) s.sum = add(s.sum, value);
  if (value.units !== 0n) s.yes++;
  if (weightText !== null && s.weighted && s.weights) {
    const weight = parseDecimal(weightText);
    s.weighted = add(s.weighted, multiply(value, weight));
    s.weights = add(s.weights, weight);
  }
}
