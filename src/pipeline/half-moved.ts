// A worker killed between moving a file out of work/ and recording the move leaves the database
// pointing at work/, and the file in archive/ or rejected/ beside its report. The next run finds
// it there instead of calling it missing: under one of the two names areaPath gives, with the
// submission's size and SHA-256, and not the stored file of another submission (an earlier file
// with the same name and bytes).
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { SubmissionTable } from '../db/schema.js';
import type { StageContext } from './context.js';
import { areaNames, inWork, reportOf } from './drop-root.js';
import { sha256File } from './hash.js';

type Submission = Pick<Selectable<SubmissionTable>, 'submission_id' | 'stored_path' | 'source_id' | 'file_name' | 'size_bytes' | 'sha256'>;

export async function halfMovedFile(ctx: StageContext, area: 'archive' | 'rejected', submission: Submission): Promise<string | undefined> {
  const [own, withId] = areaNames(ctx.config.root, area, submission);
  for (const candidate of [withId, own]) {
    const info = await lstat(candidate).catch(() => null);
    if (!info?.isFile() || info.size !== Number(submission.size_bytes)) continue;
    const another = await ctx.database.db
      .selectFrom('core.submission')
      .select('submission_id')
      .where('stored_path', '=', candidate)
      .where('submission_id', '<>', submission.submission_id)
      .executeTakeFirst();
    if (another) continue;
    if ((await sha256File(candidate)) === submission.sha256) return candidate;
  }
  return undefined;
}

/**
 * The half-moved file back to where the database says it is, its report removed: the stage that
 * was cut off runs again from the start (and writes the report again). Whether there was one.
 */
export async function takeBackHalfMoved(ctx: StageContext, area: 'archive' | 'rejected', submission: Submission): Promise<boolean> {
  if (!inWork(ctx.config.root, submission.stored_path)) return false; // never put a file outside the drop root
  const found = await halfMovedFile(ctx, area, submission);
  if (!found) return false;
  await mkdir(path.dirname(submission.stored_path), { recursive: true });
  await rename(found, submission.stored_path);
  await rm(reportOf(area, found), { force: true });
  ctx.log.info({ submissionId: submission.submission_id, from: found }, `file taken back from ${area}/: its move was not recorded`);
  return true;
}
