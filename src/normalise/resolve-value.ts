// Turns the texts of one value (unit, indicator, period, number, unit of measure, series, status)
// into a StagedValue, or into the problems an officer must fix. Shared by long and wide formats.
import type { CatalogLookup, Indicator, Source, UnitVersion } from '../catalog/lookup.js';
import { conventionEvidence, readNumber } from './numbers.js';
import { parsePeriod, periodInfo, type PeriodInfo } from './periods.js';
import { problem, type Problem } from './problems.js';
import type { StagedValue } from './staged-value.js';
import { convertUom, describeUom } from './uom.js';
import { parseSeries, parseStatus } from './vocabulary.js';

export interface ValueTexts {
  row: number;
  /** header of the column the value came from (shown in the error report) */
  valueColumn: string;
  sourceColumn: string | null;
  unit: { text: string; column: string } | null; // null: the source's own unit
  indicator: { text: string; column: string } | Indicator;
  period: { text: string; column: string } | null; // null: from the file name
  value: string;
  uom: { text: string; column: string } | null;
  series: { text: string; column: string } | null;
  status: { text: string; column: string } | null;
  note: string | null;
}

/** Counts of values that only one number convention can read (vi: 1.348,9; en: 1,348.9). */
export interface ConventionEvidence {
  vi: number;
  en: number;
}

/** Digits a submitted value may have: national budgets in đồng need 16. */
export const MAX_DIGITS = 30;

export type ResolvedValue = { value: StagedValue | null; problems: Problem[] };

/** Caches a function of a text (up to a bound, so a file of all-different texts stays flat). */
function memo<T>(fn: (text: string) => T, limit = 10_000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T; // one lookup when cached
    const value = fn(text);
    if (cache.size < limit) cache.set(text, value);
    return value;
  };
}

/**
 * memo for a function of two texts: a map per first text, so no key string is built per row.
 * The bound counts every entry.
 */
function memo2<T>(fn: (a: string, b: string) => T, limit = 10_000): (a: string, b: string) => T {
  const caches = new Map<string, Map<string, T>>();
  let size = 0;
  return (a, b) => {
    let cache = caches.get(a);
    const hit = cache?.get(b);
    if (hit !== undefined || cache?.has(b)) return hit as T;
    const value = fn(a, b);
    if (size < limit) {
      if (!cache) caches.set(a, (cache = new Map()));
      cache.set(b, value);
      size++;
    }
    return value;
  };
}

export class ValueResolver {
  readonly evidence: ConventionEvidence = { vi: 0, en: 0 };
  /** periods the file has values for (kept for completeness, even when the file is rejected) */
  readonly periods = new Set<string>();
  /** units of the values it resolved (a load looks for their rolled-up values only) */
  readonly unitKeys = new Set<number>();

  // A file repeats the same few words on every row: each distinct text is resolved once.
  private readonly indicators = memo((text: string) => this.catalog.findIndicator(text));
  private readonly periodCodes = memo((text: string) => {
    const code = parsePeriod(text);
    return code ? periodInfo(code) : null;
  });
  private readonly units = memo2((onDate: string, text: string) => this.catalog.resolveUnit(text, onDate, this.source));
  private readonly impliedUnits = memo((onDate: string) => this.catalog.impliedUnit(this.source, onDate));
  private readonly seriesOf = memo(parseSeries);
  private readonly statusOf = memo(parseStatus);
  private readonly conversions = memo2((canonical: string, text: string) => convertUom(text, canonical));
  /** the file name's period, worked out once rather than per row */
  private readonly filePeriodInfo: PeriodInfo | null;

  constructor(
    private readonly catalog: CatalogLookup,
    private readonly source: Source,
    filePeriod: string | null,
  ) {
    this.filePeriodInfo = filePeriod ? periodInfo(filePeriod) : null;
  }

  resolve(t: ValueTexts): ResolvedValue {
    const problems: Problem[] = [];
    // An empty cell ("-", "x", blank) is no figure, never zero; the rest of its row is still checked.
    const reading = readNumber(t.value);
    if (reading.kind === 'invalid') problems.push(problem('NOT_A_NUMBER', { row: t.row, column: t.valueColumn, value: t.value }));
    else if (reading.kind === 'number' && t.value.length > MAX_DIGITS) {
      // Postgres numeric holds up to 131,072 digits before the point and 16,383 after: a longer
      // value failed the file's COPY on every attempt instead of being named.
      const digits = t.value.replace(/\D/g, '').length;
      if (digits > MAX_DIGITS) {
        const shown = t.value.length > 40 ? `${t.value.slice(0, 37)}...` : t.value;
        problems.push(problem('NUMBER_TOO_LONG', { row: t.row, column: t.valueColumn, value: shown }, { digits, max: MAX_DIGITS }));
      }
    }

    let indicator: Indicator | undefined;
    if ('code' in t.indicator) indicator = t.indicator;
    else {
      indicator = this.indicators(t.indicator.text);
      if (!indicator) problems.push(problem('UNKNOWN_INDICATOR', { row: t.row, column: t.indicator.column, value: t.indicator.text }));
    }

    const periodText = t.period?.text.trim() ? t.period : null; // an empty cell falls back to the file name
    const period = periodText ? this.periodCodes(periodText.text) : this.filePeriodInfo;
    if (!period) {
      if (periodText) problems.push(problem('UNKNOWN_PERIOD', { row: t.row, column: periodText.column, value: periodText.text }));
      else problems.push(problem('MISSING_PERIOD', { row: t.row }));
    }

    let unit: UnitVersion | undefined;
    if (period) {
      this.periods.add(period.code);
      unit = this.resolveUnit(t, period.code, period.endDate, problems);
    }

    let factor = '1';
    if (indicator) {
      const uomText = t.uom?.text ?? '';
      const conversion = this.conversions(indicator.uom, uomText);
      const percentMismatch = reading.kind === 'number' && reading.percent && indicator.uom !== 'pct';
      if (!conversion.ok || percentMismatch) {
        problems.push(
          problem(
            'UOM_MISMATCH',
            percentMismatch && conversion.ok
              ? { row: t.row, column: t.valueColumn, value: t.value } // the "%" is written in the value
              : { row: t.row, column: t.uom?.column ?? t.valueColumn, value: uomText },
            { expected: describeUom(indicator.uom, 'vi'), indicator: indicator.code },
          ),
        );
      } else factor = conversion.factor;
    }

    const series = this.seriesOf(t.series?.text ?? '');
    if (!series) problems.push(problem('UNKNOWN_SERIES', { row: t.row, column: t.series?.column, value: t.series?.text }));
    const status = this.statusOf(t.status?.text ?? '');
    if (!status) problems.push(problem('UNKNOWN_STATUS', { row: t.row, column: t.status?.column, value: t.status?.text }));

    if (problems.length > 0 || reading.kind !== 'number' || !indicator || !period || !unit || !series || !status) {
      return { value: null, problems };
    }
    const evidence = conventionEvidence(reading);
    if (evidence) this.evidence[evidence]++;
    this.unitKeys.add(unit.unitKey);
    return {
      problems,
      value: {
        rowNo: t.row,
        sourceColumn: t.sourceColumn,
        unitKey: unit.unitKey,
        indicatorCode: indicator.code,
        periodCode: period.code,
        series,
        status,
        rawValue: t.value,
        valueVi: reading.vi,
        valueEn: reading.en,
        factor,
        note: t.note,
      },
    };
  }

  private resolveUnit(t: ValueTexts, periodCode: string, onDate: string, problems: Problem[]): UnitVersion | undefined {
    if (!t.unit || t.unit.text.trim() === '') {
      const implied = this.impliedUnits(onDate);
      if (implied) return implied;
      // A unit reporting for itself, in a period where it does not exist (before or after the 2025 reorganisation).
      if (this.source.scope === 'self') problems.push(problem('SOURCE_UNIT_NOT_IN_PERIOD', { row: t.row, column: t.period?.column }, { source: this.source.scopeUnitCode, period: periodCode }));
      else problems.push(problem('MISSING_UNIT', { row: t.row, column: t.unit?.column }, { source: this.source.sourceId }));
      return undefined;
    }
    const found = this.units(onDate, t.unit.text);
    if (found.ok) return found.unit;
    const where = { row: t.row, column: t.unit.column, value: t.unit.text };
    if (found.code === 'UNIT_NOT_ALLOWED') {
      problems.push(problem('UNIT_NOT_ALLOWED', where, { source: this.source.sourceId, unit: `${found.candidates[0]!.code} ${found.candidates[0]!.name}` }));
    } else if (found.code === 'AMBIGUOUS_UNIT') {
      problems.push(problem('AMBIGUOUS_UNIT', where, { candidates: found.candidates.map((u) => `${u.code} ${u.name}`).join(', ') }));
    } else {
      problems.push(problem('UNKNOWN_UNIT', where, { period: periodCode }));
    }
    return undefined;
  }
}
