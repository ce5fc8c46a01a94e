// The last step of a loaded or duplicate file: into archive/ with its receipt. Safe to run again:
// a retried load job, or the next scan, finishes what a killed worker or a full disk left undone,
// since reported_at stays empty until the file is there with its receipt.
import { lstat, rename } from 'node:fs/promises';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { DB, SubmissionTable } from '../db/schema.js';
import { receiptOf, writeReceipt } from '../report/receipt.js';
import type { StageContext } from './context.js';
import { areaPath } from './drop-root.js';
import { halfMovedFile, takeBackHalfMoved } from './half-moved.js';

const ARCHIVED_STATES = ['loaded', 'duplicate'] as const;

/** A loaded or duplicate submission whose file is not yet in archive/ with its receipt. */
export function awaitsArchive(submission: { state: string; reported_at: Date | null }): boolean {
  return (ARCHIVED_STATES as readonly string[]).includes(submission.state) && submission.reported_at === null;
}

/** The same, as a condition on core.submission (a partial index of migration 020 serves it). */
export const awaitingArchive = (eb: ExpressionBuilder<DB, 'core.submission'>) =>
  eb.and([eb('state', 'in', ARCHIVED_STATES), eb('reported_at', 'is', null)]);

export async function archiveSubmission(ctx: StageContext, submission: Selectable<SubmissionTable>): Promise<void> {
  const db = ctx.database.db;
  const where = submission.submission_id;
  if (!(await lstat(submission.stored_path).catch(() => null))) {
    // Moved with its receipt by a worker killed before it said so: record where it is.
    const archived = await halfMovedFile(ctx, 'archive', submission);
    if (archived) {
      await db.updateTable('core.submission').set({ stored_path: archived, reported_at: new Date() }).where('submission_id', '=', where).execute();
      return;
    }
    // Else a rejection cut off the same way (a load's last failed attempt) and loaded since, or a
    // file removed by hand after its load: its values are loaded, and a receipt has nothing to sit beside.
    if (!(await takeBackHalfMoved(ctx, 'rejected', submission))) {
      ctx.log.warn({ submissionId: where, path: submission.stored_path }, 'loaded file missing: no receipt');
      await db.updateTable('core.submission').set({ reported_at: new Date() }).where('submission_id', '=', where).execute();
      return;
    }
  }
  const archived = await areaPath(ctx.config.root, 'archive', submission);
  // The receipt first: a full disk then leaves the file where the database says it is, and a
  // retry writes it again under the same name, which the file does not hold yet.
  await writeReceipt(archived, receiptOf(submission));
  await rename(submission.stored_path, archived);
  await db.updateTable('core.submission').set({ stored_path: archived, reported_at: new Date() }).where('submission_id', '=', where).execute();
}
