// Stage 3, normalise: stream-decode, parse, resolve, convert and validate a submission, staging
// its values in Postgres with COPY. Checks that need every row (number convention, duplicates,
// ranges) then run set-based in SQL. Bad input ends in a rejected file, never in an exception.
import type { Source } from '../catalog/lookup.js';
import { runSql } from '../db/sql-file.js';
import type { ErrorCode } from '../errors.js';
import type { StageContext } from '../pipeline/context.js';
import { originalName } from '../pipeline/drop-root.js';
import { rejectSubmission } from '../pipeline/reject.js';
import { hasRequiredColumns, longLayout, longValueTexts, missingLongColumns } from './long-format.js';
import type { NumberConvention } from './numbers.js';
import { periodFromFileName } from './periods.js';
import { ProblemList, problem } from './problems.js';
import { openTable } from './read-table.js';
import { ValueResolver, type ConventionEvidence } from './resolve-value.js';
import { STAGED_COLUMNS, stagedRow } from './staged-value.js';

export type NormaliseResult =
  | { outcome: 'staged'; submissionId: string; values: number; problems: number }
  | { outcome: 'rejected'; submissionId: string; problems: number }
  | { outcome: 'skipped'; submissionId: string; state: string };

interface StagedProblemRow {
  row_no: number;
  source_column: string | null;
  raw_value: string;
  code: ErrorCode;
  detail_a: string | null;
  detail_b: string | null;
  indicator_code: string;
  unit_code: string;
  period_code: string;
  value: string | null;
}

/** The file's convention: from its unambiguous values, else the source's configured locale. */
export function chooseConvention(evidence: ConventionEvidence, source: Source): NumberConvention | null {
  if (evidence.vi > 0 || evidence.en > 0) return evidence.en > evidence.vi ? 'en' : 'vi';
  return source.locale;
}

export async function normaliseSubmission(ctx: StageContext, submissionId: string): Promise<NormaliseResult> {
  const db = ctx.database.db;
  const submission = await db.selectFrom('core.submission').selectAll().where('submission_id', '=', submissionId).executeTakeFirstOrThrow();
  if (submission.state !== 'received') return { outcome: 'skipped', submissionId, state: submission.state };
  // A retried job starts from a clean slate.
  await db.deleteFrom('core.staged_value').where('submission_id', '=', submissionId).execute();

  const catalog = await ctx.catalog();
  const source = catalog.sources.get(submission.source_id)!;
  const problems = new ProblemList();
  const reject = (rowsRead?: number) => rejectSubmission(ctx, submission, problems, { rowsRead }).then(() => ({ outcome: 'rejected' as const, submissionId, problems: problems.count }));

  if (Number(submission.size_bytes) > ctx.config.maxFileBytes) {
    problems.add(problem('FILE_TOO_LARGE', {}, { size_mb: (Number(submission.size_bytes) / 2 ** 20).toFixed(0), limit_mb: (ctx.config.maxFileBytes / 2 ** 20).toFixed(0) }));
    return reject();
  }

  const fileName = originalName(submission.stored_path);
  const filePeriod = periodFromFileName(fileName);
  const resolver = new ValueResolver(catalog, source, filePeriod);
  let valueHeader = 'value';
  let rowsRead = 0;
  let staged = 0;

  try {
    const table = await openTable(submission.stored_path);
    const first = await table.records.next();
    if (first.done) {
      problems.add(problem('EMPTY_FILE', {}));
      return reject(0);
    }
    const layout = longLayout(first.value.fields);
    if (!hasRequiredColumns(layout)) {
      for (const p of missingLongColumns(layout)) problems.add(p);
      await table.records.return(undefined);
      return reject(0);
    }
    if (layout.columns.period === undefined && !filePeriod) {
      problems.add(problem('MISSING_PERIOD', { row: 1 }));
      await table.records.return(undefined);
      return reject(0);
    }

    const checked = layout;
    valueHeader = layout.header[layout.columns.value] ?? valueHeader;
    async function* values() {
      for await (const record of table.records) {
        rowsRead++;
        const { value, problems: found } = resolver.resolve(longValueTexts(checked, record));
        for (const p of found) problems.add(p);
        if (value) {
          staged++;
          yield stagedRow(submissionId, value);
        }
      }
    }
    await ctx.database.copyInto('core.staged_value', STAGED_COLUMNS, values());
  } catch (error) {
    // Undecodable bytes or broken quoting: the file is unreadable, the worker carries on.
    problems.add(problem('UNREADABLE_FILE', {}, { detail: (error as Error).message.slice(0, 200) }));
    return reject(rowsRead);
  }

  if (rowsRead === 0) problems.add(problem('EMPTY_FILE', {}));
  const convention = chooseConvention(resolver.evidence, source);
  const { rows } = await runSql<StagedProblemRow>(db, 'staged_problems', [submissionId, convention]);
  for (const r of rows) {
    problems.add(
      problem(r.code, { row: r.row_no, column: r.source_column ?? valueHeader, value: r.raw_value }, {
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
      }),
    );
  }
  // Problems.list rows are sorted per check; present them in file order.
  problems.items.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));

  if (problems.count > 0 && !source.acceptValidRows) return reject(rowsRead);
  if (problems.count > 0) {
    const badRows = [...new Set(problems.items.map((p) => p.row).filter((r): r is number => r !== null))];
    await db.deleteFrom('core.staged_value').where('submission_id', '=', submissionId).where('row_no', 'in', badRows.length ? badRows : [-1]).execute();
  }

  await db
    .updateTable('core.submission')
    .set({
      state: 'staged',
      rows_read: rowsRead,
      values_staged: staged,
      number_convention: convention,
      problem_count: problems.count,
      first_problem: problems.items[0]?.messageEn ?? null,
      warnings: JSON.stringify(problems.items.map((p) => `line ${p.row ?? '-'}: ${p.messageEn}`)),
    })
    .where('submission_id', '=', submissionId)
    .execute();
  ctx.log.info({ submissionId, rows: rowsRead, values: staged, problems: problems.count }, 'submission staged');
  return { outcome: 'staged', submissionId, values: staged, problems: problems.count };
}
