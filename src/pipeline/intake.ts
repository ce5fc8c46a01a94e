// Stage 2, intake: claims a file out of the inbox, hashes it and registers the submission.
// The same bytes from the same source are registered as a duplicate and archived, never loaded twice.
import { createHash } from 'node:crypto';
import { lstat, mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogLookup } from '../catalog/lookup.js';
import { ProblemList, problem } from '../normalise/problems.js';
import type { StageContext } from './context.js';
import { archiveSubmission } from './archive.js';
import { areaDir, workPath } from './drop-root.js';
import { sha256File } from './hash.js';
import { rejectSubmission } from './reject.js';

export type IntakeResult =
  | { outcome: 'registered'; submissionId: string }
  | { outcome: 'duplicate'; submissionId: string; duplicateOf: string }
  | { outcome: 'rejected'; submissionId: string }
  | { outcome: 'gone' }; // another worker took the file first

const ACCEPTED_EXTENSIONS = new Set(['.csv', '.txt']);

export async function intakeFile(ctx: StageContext, input: { sourceId: string; fileName: string }): Promise<IntakeResult> {
  const { root } = ctx.config;
  const inboxPath = path.join(areaDir(root, 'inbox', input.sourceId), input.fileName);
  const info = await lstat(inboxPath).catch(() => null);
  if (!info?.isFile()) return { outcome: 'gone' };

  // Claim by rename: atomic, so of two workers only one gets the file.
  const claimed = workPath(root, input.sourceId, input.fileName);
  await mkdir(path.dirname(claimed), { recursive: true });
  try {
    await rename(inboxPath, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { outcome: 'gone' };
    throw error;
  }

  // A hard link would let a folder submit any file of the machine it points at: never read one.
  const linked = info.nlink > 1;
  let sha256: string;
  let inserted: { submission_id: string } | undefined;
  const db = ctx.database.db;
  try {
    sha256 = linked ? createHash('sha256').update(`unread hard link ${claimed}`).digest('hex') : await sha256File(claimed);
    inserted = await db
    .insertInto('core.submission')
    .values({
      source_id: input.sourceId,
      file_name: input.fileName,
      sha256,
      size_bytes: info.size,
      state: 'received',
      stored_path: claimed,
      submitted_at: new Date(Math.min(info.mtimeMs, Date.now())),
    })
    .onConflict((oc) => oc.columns(['source_id', 'sha256']).where('state', 'in', ['received', 'staged', 'loaded']).doNothing())
    .returning('submission_id')
    .executeTakeFirst();
  } catch (error) {
    // Not registered (the database is down): the file goes back to the inbox for the retry or
    // the next scan, never stranded in work/.
    await rename(claimed, inboxPath).catch(() => undefined);
    throw error;
  }
  await unlink(`${inboxPath}.done`).catch(() => undefined); // the marker has done its job

  if (!inserted) return registerDuplicate(ctx, input, claimed, sha256, info.size);

  const submission = { submission_id: inserted.submission_id, source_id: input.sourceId, stored_path: claimed, file_name: input.fileName };
  const problems = refusedAtIntake(await ctx.catalog(), { ...input, linked });
  if (problems.count > 0) {
    await rejectSubmission(ctx, submission, problems);
    return { outcome: 'rejected', submissionId: inserted.submission_id };
  }
  ctx.log.info({ submissionId: inserted.submission_id, sourceId: input.sourceId, bytes: info.size }, 'submission registered');
  return { outcome: 'registered', submissionId: inserted.submission_id };
}

/**
 * What intake refuses without reading the file. Normalise asks again: a file whose rejection
 * report could not be written (a full disk) stays registered, and the next scan hands it on.
 */
export function refusedAtIntake(catalog: Pick<CatalogLookup, 'sources'>, file: { sourceId: string; fileName: string; linked: boolean }): ProblemList {
  const problems = new ProblemList();
  if (file.linked) {
    problems.add(problem('LINKED_FILE', { value: file.fileName }));
  } else if (!catalog.sources.has(file.sourceId)) {
    problems.add(problem('UNKNOWN_SOURCE', {}, { source: file.sourceId }));
  } else if (!ACCEPTED_EXTENSIONS.has(path.extname(file.fileName).toLowerCase())) {
    problems.add(problem('UNSUPPORTED_FILE_TYPE', { value: file.fileName }));
  }
  return problems;
}

async function registerDuplicate(
  ctx: StageContext,
  input: { sourceId: string; fileName: string },
  claimed: string,
  sha256: string,
  size: number,
): Promise<IntakeResult> {
  const db = ctx.database.db;
  const original = await db
    .selectFrom('core.submission')
    .select(['submission_id', 'rows_read', 'values_loaded'])
    .where('source_id', '=', input.sourceId)
    .where('sha256', '=', sha256)
    .where('state', 'in', ['received', 'staged', 'loaded'])
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('core.submission')
    .values({
      source_id: input.sourceId,
      file_name: input.fileName,
      sha256,
      size_bytes: size,
      state: 'duplicate',
      stored_path: claimed,
      duplicate_of: original.submission_id,
      finished_at: new Date(),
      values_loaded: 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await archiveSubmission(ctx, row);
  ctx.log.info({ submissionId: row.submission_id, duplicateOf: original.submission_id }, 'duplicate submission archived');
  return { outcome: 'duplicate', submissionId: row.submission_id, duplicateOf: original.submission_id };
}
