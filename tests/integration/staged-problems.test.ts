// The checks that need every staged row (sql/queries/staged_problems.sql and staged_repeats.sql)
// against a plain TypeScript reading of the same rules, on random staged rows: values read both
// ways or one way, scale factors, cells sent once or several times (also twice from one line of a
// wide form).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodBounds, periodYears } from '../../src/db/period-bounds.js';
import { runSql } from '../../src/db/sql-file.js';
import { useStageContext } from '../helpers/pipeline.js';

interface Staged {
  row_no: number;
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  value_vi: number | null;
  value_en: number | null;
  factor: number;
}
type Convention = 'vi' | 'en' | null;
interface Range {
  min: number | null;
  max: number | null;
}

/** [line, code, first line of a repeated cell], as the query should find them. */
function expectedProblems(rows: Staged[], convention: Convention, ranges: Map<string, Range>): string[][] {
  const found: string[][] = [];
  const cellOf = (r: Staged) => [r.unit_key, r.indicator_code, r.period_code, r.series].join('|');
  const firstRow = new Map<string, number>();
  for (const r of rows) firstRow.set(cellOf(r), Math.min(firstRow.get(cellOf(r)) ?? Infinity, r.row_no));
  for (const r of rows) {
    const read = convention === 'vi' ? r.value_vi : convention === 'en' ? r.value_en : (r.value_vi ?? r.value_en);
    const value = read === null ? null : read * r.factor;
    const range = ranges.get(r.indicator_code)!;
    if (convention === null && r.value_vi !== null && r.value_en !== null && r.value_vi !== r.value_en) found.push([String(r.row_no), 'AMBIGUOUS_NUMBER', '']);
    if (convention !== null && value === null) found.push([String(r.row_no), 'NUMBER_CONVENTION_CONFLICT', '']);
    if (value !== null && ((range.min !== null && value < range.min) || (range.max !== null && value > range.max))) found.push([String(r.row_no), 'OUT_OF_RANGE', '']);
    const first = firstRow.get(cellOf(r))!;
    if (r.row_no > first) found.push([String(r.row_no), 'DUPLICATE_VALUE', String(first)]);
  }
  return inReportOrder(found);
}

/** By line, then code; problems that tie (two values of one line) by their detail. */
const inReportOrder = (problems: string[][]) =>
  problems.sort((a, b) => Number(a[0]) - Number(b[0]) || a[1]!.localeCompare(b[1]!) || a[2]!.localeCompare(b[2]!));

/** A row of core.staged_value as staging writes it; numbers go to Postgres as text. */
const asText = (n: number | null) => (n === null ? null : String(n));
const stagedRow = (submissionId: string, r: Staged) => ({
  ...r,
  submission_id: submissionId,
  status: 'official',
  source_column: 'Giá trị',
  raw_value: String(r.value_vi ?? r.value_en ?? ''),
  value_vi: asText(r.value_vi),
  value_en: asText(r.value_en),
  factor: String(r.factor),
});

describe('staged_problems.sql and staged_repeats.sql', () => {
  const fixture = useStageContext('staged-problems');

  it('finds exactly the ambiguous numbers, convention conflicts, values out of range and repeated cells', async () => {
    const db = fixture.database.db;
    const units = (await db.selectFrom('core.unit').select('unit_key').orderBy('unit_key').limit(3).execute()).map((u) => u.unit_key);
    // Bounded below only, above only, or both: whatever the catalogue has, four of them.
    const catalogue = await db.selectFrom('core.indicator').select(['code', 'min_value', 'max_value']).orderBy('code').limit(4).execute();
    expect(catalogue.length).toBe(4);
    const ranges = new Map(catalogue.map((i) => [i.code, { min: i.min_value === null ? null : Number(i.min_value), max: i.max_value === null ? null : Number(i.max_value) }]));

    const number = fc.option(fc.integer({ min: -50, max: 2_000 }), { nil: null, freq: 4 });
    const row = fc.record({
      step: fc.constantFrom(0, 1, 1, 1), // 0: another value of the same line (a wide form)
      unit_key: fc.constantFrom(...units),
      indicator_code: fc.constantFrom(...catalogue.map((i) => i.code)),
      period_code: fc.constantFrom('2023Q4', '2024', '202403', '2026S1'),
      series: fc.constantFrom('actual', 'plan'),
      value_vi: number,
      value_en: number,
      factor: fc.constantFrom(1, 1, 1_000),
    });
    let submission = -1;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), fc.constantFrom<Convention>('vi', 'en', null), async (drawn, convention) => {
        const id = String(submission--);
        let rowNo = 1;
        const rows: Staged[] = drawn.map(({ step, ...r }) => ({ ...r, row_no: (rowNo += step) }));
        await db.insertInto('core.staged_value').values(rows.map((r) => stagedRow(id, r))).execute();
        try {
          const years = periodBounds(rows.map((r) => r.period_code));
          const found = async (query: string, params: unknown[]) =>
            (await runSql<{ row_no: number; code: string; detail_a: string | null }>(db, query, params)).rows;
          const repeats = await found('staged_repeats', [id, ...years]);
          expect(repeats.every((p) => p.code === 'DUPLICATE_VALUE')).toBe(true);
          const problems = [...(await found('staged_problems', [id, convention, ...years, periodYears(rows.map((r) => r.period_code))])), ...repeats];
          const got = problems.map((p) => [String(p.row_no), p.code, p.code === 'DUPLICATE_VALUE' ? p.detail_a! : '']);
          // Each query orders by line (and code); the order of ties is not part of its contract.
          expect(inReportOrder(got)).toEqual(expectedProblems(rows, convention, ranges));
        } finally {
          await db.deleteFrom('core.staged_value').where('submission_id', '=', id).execute();
        }
      }),
      { numRuns: 150 },
    );
  });
});
