// Reads one submitted file end to end: finds its layout (long, or a wide form), resolves every
// value, streams the good ones into core.staged_value with COPY, then runs the checks that need
// every row (number convention, repeated cells, ranges, totals) set-based in SQL.
// Shared by the normalise stage and `dstats validate`.
import type { CatalogLookup, Source } from '../catalog/lookup.js';
import type { Database } from '../db/connect.js';
import { periodBounds, periodYears } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';
import type { ErrorCode } from '../errors.js';
import { hasRequiredColumns, longLayout, longValueTexts, missingLongColumns, type LayoutWithRequired } from './long-format.js';
import type { NumberConvention } from './numbers.js';
import { periodFromFileName } from './periods.js';
import { ProblemList, problem } from './problems.js';
import { openTable, type TableRecord } from './read-table.js';
import { RepeatedCells } from './repeated-cells.js';
import { ValueResolver, type ConventionEvidence, type ValueTexts } from './resolve-value.js';
import { stageValues } from './stage-values.js';
import { isTotalRow, recogniseForm, TotalsCheck, unknownColumnProblems, wideValueTexts, type WideLayout } from './wide-format.js';

export interface FileCheck {
  problems: ProblemList;
  rowsRead: number;
  valuesStaged: number;
  convention: NumberConvention | null;
  formId: string | null;
  periods: string[];
  /** the units of the staged values */
  unitKeys: number[];
}

type Layout = { kind: 'long'; long: LayoutWithRequired } | { kind: 'wide'; wide: WideLayout };

interface StagedProblemRow {
  /** null, and no value or cell: the whole file (YEAR_ARCHIVED) */
  row_no: number | null;
  source_column: string | null;
  raw_value: string | null;
  code: ErrorCode;
  detail_a: string | null;
  detail_b: string | null;
  indicator_code: string | null;
  unit_code: string | null;
  period_code: string | null;
}

// Excel exports often carry a title or a blank line above the header.
const HEADER_SEARCH_ROWS = 10;

// Problems that concern the whole file: even a source that accepts its valid rows is rejected.
const FILE_LEVEL = new Set<ErrorCode>(['EMPTY_FILE', 'UNREADABLE_FILE', 'MISSING_COLUMN', 'MISSING_PERIOD', 'UNKNOWN_COLUMN', 'TOTAL_MISMATCH', 'FILE_TOO_LARGE', 'TOO_MANY_ROWS', 'YEAR_ARCHIVED']);

/** Whole file rejected (the default), or only its bad rows dropped (a source that accepts valid rows)? */
export function isRejected(problems: ProblemList, source: Source, validValues = 1): boolean {
  if (problems.count === 0) return false;
  return !source.acceptValidRows || validValues === 0 || problems.items.some((p) => FILE_LEVEL.has(p.code));
}

/** Lines with at least one problem: a source that accepts its valid rows loses these whole. */
export function problemRows(problems: ProblemList): number[] {
  return [...new Set(problems.items.map((p) => p.row).filter((r): r is number => r !== null))];
}

/** Staged values outside the lines with problems. */
export async function valuesOutside(database: Database, submissionId: string, rows: number[]): Promise<number> {
  let query = database.db.selectFrom('core.staged_value').select((eb) => eb.fn.countAll<string>().as('n')).where('submission_id', '=', submissionId);
  if (rows.length > 0) query = query.where('row_no', 'not in', rows);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** The file's convention: from its unambiguous values, else the source's configured locale. */
export function chooseConvention(evidence: ConventionEvidence, source: Source): NumberConvention | null {
  if (evidence.vi !== evidence.en) return evidence.en > evidence.vi ? 'en' : 'vi';
  if (evidence.vi > 0) return source.locale ?? 'vi'; // a tie: the source's habit decides
  return source.locale;
}

const byLineThenCode = (a: StagedProblemRow, b: StagedProblemRow) => (a.row_no ?? 0) - (b.row_no ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function findLayout(record: TableRecord, catalog: CatalogLookup): Layout | null {
  const long = longLayout(record.fields);
  if (hasRequiredColumns(long)) return { kind: 'long', long };
  const wide = recogniseForm(record.fields, catalog);
  return wide ? { kind: 'wide', wide } : null;
}

export async function checkFile(
  database: Database,
  catalog: CatalogLookup,
  input: { filePath: string; fileName: string; source: Source; submissionId: string; maxRows?: number; dryRun?: boolean },
): Promise<FileCheck> {
  const { source, submissionId } = input;
  const problems = new ProblemList();
  const filePeriod = periodFromFileName(input.fileName);
  const resolver = new ValueResolver(catalog, source, filePeriod);
  const cells = new RepeatedCells();
  const result: FileCheck = { problems, rowsRead: 0, valuesStaged: 0, convention: null, formId: null, periods: filePeriod ? [filePeriod] : [], unitKeys: [] };
  let valueHeader = 'value';
  let totals: TotalsCheck | null = null;
  let copying = false;
  let readError: Error | null = null;

  try {
    const table = await openTable(input.filePath);
    let layout: Layout | null = null;
    let firstRecord: TableRecord | null = null;
    for (let i = 0; i < HEADER_SEARCH_ROWS && !layout; i++) {
      const next = await table.records.next();
      if (next.done) break;
      firstRecord ??= next.value;
      layout = findLayout(next.value, catalog);
    }
    if (!layout) {
      await table.records.return(undefined);
      if (!firstRecord) problems.add(problem('EMPTY_FILE', {}));
      else for (const p of missingLongColumns(longLayout(firstRecord.fields))) problems.add(p);
      return result;
    }
    const hasPeriodColumn = layout.kind === 'long' ? layout.long.columns.period !== undefined : layout.wide.periodIndex !== undefined;
    if (!hasPeriodColumn && !filePeriod) {
      await table.records.return(undefined);
      problems.add(problem('MISSING_PERIOD', { row: 1 }));
      return result;
    }

    let textsOf: (record: TableRecord) => ValueTexts[];
    if (layout.kind === 'long') {
      const long = layout.long;
      valueHeader = long.header[long.columns.value] ?? valueHeader;
      textsOf = (record) => [longValueTexts(long, record)];
    } else {
      const wide = layout.wide;
      result.formId = wide.form.formId;
      for (const p of unknownColumnProblems(wide)) problems.add(p);
      const check = (totals = new TotalsCheck(wide));
      textsOf = (record) => {
        const unitText = record.fields[wide.unitIndex] ?? '';
        // "Tổng cộng" in the unit column, or in the first (STT) column beside an empty unit cell.
        if (isTotalRow(unitText) || (unitText.trim() === '' && isTotalRow(record.fields[0] ?? ''))) {
          check.addTotal(record); // checked at the end, never loaded as a unit
          return [];
        }
        // A group heading ("I;Các phường;;") has no cell at all: nothing to load, no unit to find.
        if (wide.columns.every((column) => (record.fields[column.index] ?? '').trim() === '')) return [];
        check.addRow(record);
        return wide.columns.map((column) => wideValueTexts(wide, record, column));
      };
    }

    const maxRows = input.maxRows ?? Infinity;
    async function* values() {
      try {
        for await (const record of table.records) {
          if (++result.rowsRead > maxRows) {
            problems.add(problem('TOO_MANY_ROWS', {}, { limit: maxRows }));
            return; // stop reading: the file is rejected whole
          }
          for (const texts of textsOf(record)) {
            const { value, problems: found } = resolver.resolve(texts);
            for (const p of found) problems.add(p);
            if (value) {
              result.valuesStaged++;
              cells.add(value);
              yield value;
            }
          }
        }
      } catch (error) {
        readError = error as Error;
        throw error;
      }
    }
    copying = true;
    await stageValues(database, submissionId, values(), { makePartitions: !input.dryRun });
  } catch (error) {
    // The database failing while the rows stream in is not the file's fault: the job fails and
    // is retried, the file stays as it is.
    if (copying && !readError) throw error;
    // Undecodable bytes or broken quoting: the file is unreadable; the worker carries on.
    problems.add(problem('UNREADABLE_FILE', {}, { detail: (readError ?? (error as Error)).message.slice(0, 200) }));
    return result;
  }

  if (result.rowsRead === 0) problems.add(problem('EMPTY_FILE', {}));
  if (resolver.periods.size > 0) result.periods = [...resolver.periods].sort();
  result.unitKeys = [...resolver.unitKeys].sort((a, b) => a - b);
  result.convention = chooseConvention(resolver.evidence, source);
  for (const p of totals?.problems(result.convention ?? 'vi') ?? []) problems.add(p);
  const years = periodBounds(result.periods);
  let rows = (await runSql<StagedProblemRow>(database.db, 'staged_problems', [submissionId, result.convention, ...years, periodYears(result.periods) ?? []])).rows;
  if (cells.possible) {
    const repeats = (await runSql<StagedProblemRow>(database.db, 'staged_repeats', [submissionId, ...years])).rows;
    rows = [...rows, ...repeats].sort(byLineThenCode);
  }
  for (const r of rows) {
    problems.add(
      problem(r.code, { row: r.row_no, column: r.row_no === null ? null : (r.source_column ?? valueHeader), value: r.raw_value }, {
        indicator: r.indicator_code,
        unit: r.unit_code,
        period: r.period_code,
        min: r.detail_a ?? '−∞',
        max: r.detail_b ?? '+∞',
        vi: r.detail_a,
        en: r.detail_b,
        found: r.detail_a,
        convention: r.detail_b,
        first_row: r.detail_a,
        years: r.detail_a,
      }),
    );
  }
  // Checks run one after another; the report reads in file order.
  problems.items.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return result;
}
