// Ends a submission as rejected: file to rejected/ with <name>.errors.csv, state in the database.
// The report is written first: a full disk fails the job with the file still in work/ and the
// submission unchanged, so its retry (or the next scan's normalise) checks it again.
import { mkdir, rename } from 'node:fs/promises';
import { ProblemList, problem } from '../normalise/problems.js';
import { writeErrorsCsv } from '../report/errors-csv.js';
import type { StageContext } from './context.js';
import { areaDir, areaNames, areaPath, reportOf } from './drop-root.js';

export async function rejectSubmission(
  ctx: StageContext,
  submission: { submission_id: string; source_id: string; stored_path: string; file_name: string },
  problems: ProblemList,
  counts: { rowsRead?: number; periods?: string[]; formId?: string | null } = {},
): Promise<string> {
  const target = await areaPath(ctx.config.root, 'rejected', submission);
  await writeErrorsCsv(reportOf('rejected', target), problems);
  await rename(submission.stored_path, target);
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('core.staged_value').where('submission_id', '=', submission.submission_id).execute();
    await trx
      .updateTable('core.submission')
      .set({
        state: 'rejected',
        stored_path: target,
        finished_at: new Date(),
        reported_at: new Date(),
        rows_read: counts.rowsRead ?? null,
        periods: counts.periods ?? [],
        form_id: counts.formId ?? null,
        problem_count: problems.count,
        ...problems.first,
      })
      .where('submission_id', '=', submission.submission_id)
      .execute();
  });
  ctx.log.info({ submissionId: submission.submission_id, problems: problems.count }, 'submission rejected');
  return target;
}

/**
 * Ends a submission whose normalise or load failed on every try, for a fault outside the file's
 * contents that kept coming back: PROCESSING_FAILED. False when there was nothing to end: the
 * submission is gone, or another try already finished it.
 */
export async function rejectAfterFailures(ctx: StageContext, submissionId: string, attempts: number, error: Error): Promise<boolean> {
  const submission = await ctx.database.db
    .selectFrom('core.submission')
    .select(['submission_id', 'source_id', 'stored_path', 'state', 'file_name'])
    .where('submission_id', '=', submissionId)
    .executeTakeFirst();
  if (!submission || (submission.state !== 'received' && submission.state !== 'staged')) return false;
  const problems = new ProblemList();
  problems.add(problem('PROCESSING_FAILED', {}, { attempts, detail: error.message.slice(0, 200) }));
  await rejectSubmission(ctx, submission, problems);
  return true;
}

/**
 * Ends a submission whose file is gone from work/ (removed by hand, lost in a crash). Its report
 * goes to rejected/ under the file's name with the submission id added, which becomes its stored
 * path: the source sees why in its folder, the status page finds the report where it looks, and
 * no later file of the same name is given that name (a report alone does not take a name).
 */
export async function rejectMissingFile(ctx: StageContext, submission: { submission_id: string; source_id: string; file_name: string }): Promise<void> {
  const problems = new ProblemList();
  problems.add(problem('FILE_MISSING', {}, { file: submission.file_name }));
  await mkdir(areaDir(ctx.config.root, 'rejected', submission.source_id), { recursive: true });
  const [, target] = areaNames(ctx.config.root, 'rejected', submission);
  await writeErrorsCsv(reportOf('rejected', target), problems);
  await ctx.database.db
    .updateTable('core.submission')
    .set({ state: 'rejected', stored_path: target, finished_at: new Date(), reported_at: new Date(), problem_count: 1, ...problems.first })
    .where('submission_id', '=', submission.submission_id)
    .execute();
  ctx.log.warn({ submissionId: submission.submission_id }, 'submission file missing');
}
