// Stage 3, normalise: checks a registered submission and stages its values (see check-file.ts).
// Bad input ends in a rejected file with its report, never in an exception.
import { lstat } from 'node:fs/promises';
import type { StageContext } from '../pipeline/context.js';
import { takeBackHalfMoved } from '../pipeline/half-moved.js';
import { refusedAtIntake } from '../pipeline/intake.js';
import { rejectMissingFile, rejectSubmission } from '../pipeline/reject.js';
import { checkFile, isRejected, problemRows, valuesOutside } from './check-file.js';
import { ProblemList, problem } from './problems.js';

export type NormaliseResult =
  | { outcome: 'staged'; submissionId: string; values: number; problems: number }
  | { outcome: 'rejected'; submissionId: string; problems: number }
  | { outcome: 'skipped'; submissionId: string; state: string };

export async function normaliseSubmission(ctx: StageContext, submissionId: string): Promise<NormaliseResult> {
  const db = ctx.database.db;
  // With the catalogue's version, in the same round trip: a file is never checked against a
  // catalogue older than a sync that committed before its check began.
  const { catalog_now: catalogNow, ...submission } = await db
    .selectFrom('core.submission')
    .selectAll()
    .select((eb) => eb.selectFrom('core.catalog_version').select('version').as('catalog_now'))
    .where('submission_id', '=', submissionId)
    .executeTakeFirstOrThrow();
  if (submission.state !== 'received') return { outcome: 'skipped', submissionId, state: submission.state };
  // A retried job starts from a clean slate.
  await db.deleteFrom('core.staged_value').where('submission_id', '=', submissionId).execute();

  const catalog = await ctx.catalog(catalogNow ?? undefined);

  // A rejection cut off between its move to rejected/ and its record is checked again, so that it
  // ends with its own problems rather than as a missing file.
  const stored = () => lstat(submission.stored_path).catch(() => null);
  const info = (await stored()) ?? ((await takeBackHalfMoved(ctx, 'rejected', submission)) ? await stored() : null);
  if (!info) {
    // Someone removed the claimed file (or a crash lost it): end the submission, never block others.
    await rejectMissingFile(ctx, submission);
    return { outcome: 'rejected', submissionId, problems: 1 };
  }

  // Intake refused it, but the report could not be written then (a full disk).
  const refused = refusedAtIntake(catalog, { sourceId: submission.source_id, fileName: submission.file_name, linked: info.nlink > 1 });
  if (refused.count > 0) {
    await rejectSubmission(ctx, submission, refused);
    return { outcome: 'rejected', submissionId, problems: refused.count };
  }

  if (Number(submission.size_bytes) > ctx.config.maxFileBytes) {
    const problems = new ProblemList();
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    problems.add(problem('FILE_TOO_LARGE', {}, { size_mb: mb(Number(submission.size_bytes)), limit_mb: mb(ctx.config.maxFileBytes) }));
    await rejectSubmission(ctx, submission, problems);
    return { outcome: 'rejected', submissionId, problems: problems.count };
  }

  const source = catalog.sources.get(submission.source_id)!;
  const check = await checkFile(ctx.database, catalog, {
    filePath: submission.stored_path,
    fileName: submission.file_name,
    source,
    submissionId,
    maxRows: ctx.config.maxRows,
  });
  const { problems } = check;
  const badRows = problemRows(problems);
  const validValues = problems.count > 0 ? await valuesOutside(ctx.database, submissionId, badRows) : check.valuesStaged;
  if (isRejected(problems, source, validValues)) {
    await rejectSubmission(ctx, submission, problems, { rowsRead: check.rowsRead, periods: check.periods, formId: check.formId });
    return { outcome: 'rejected', submissionId, problems: problems.count };
  }
  if (badRows.length > 0) {
    // The source accepts its valid rows: drop every value of a line with a problem.
    await db.deleteFrom('core.staged_value').where('submission_id', '=', submissionId).where('row_no', 'in', badRows).execute();
  }

  await db
    .updateTable('core.submission')
    .set({
      state: 'staged',
      rows_read: check.rowsRead,
      values_staged: validValues,
      number_convention: check.convention,
      form_id: check.formId,
      periods: check.periods,
      unit_keys: check.unitKeys,
      catalog_version: catalog.version,
      problem_count: problems.count,
      ...problems.first,
      warnings: JSON.stringify(problems.items.map((p) => `line ${p.row ?? '-'}: ${p.messageEn}`)),
    })
    .where('submission_id', '=', submissionId)
    .execute();
  ctx.log.info({ submissionId, rows: check.rowsRead, values: validValues, problems: problems.count }, 'submission staged');
  return { outcome: 'staged', submissionId, values: validValues, problems: problems.count };
}
