// Stage 4, load: in one transaction, a staged submission's values become observations and the
// current values change under the precedence rules. Idempotent: a retried job finds the
// submission already loaded and does nothing.
import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB, SubmissionTable } from '../db/schema.js';
import { runSql } from '../db/sql-file.js';
import { applyBulkSettings, BULK_ROWS } from '../db/bulk-settings.js';
import { catalogLockShared } from '../db/catalog-lock.js';
import { periodBounds, periodYears } from '../db/period-bounds.js';
import { lockYearsForLoad } from '../db/year-locks.js';
import type { StageContext } from '../pipeline/context.js';
import { archiveSubmission, awaitsArchive } from '../pipeline/archive.js';

export type LoadResult =
  | { outcome: 'loaded'; submissionId: string; valuesLoaded: number; years: number[] }
  | { outcome: 'restage'; submissionId: string }
  | { outcome: 'skipped'; submissionId: string; state: string };

export async function loadSubmission(ctx: StageContext, submissionId: string): Promise<LoadResult> {
  const db = ctx.database.db;
  const { rows: [partitions] } = await runSql<{ archived: number[] }>(db, 'ensure_partitions', [submissionId]);
  // A year taken out of the warehouse after the file was staged: its load could only fail. Checked
  // again by normalise, the file is rejected with YEAR_ARCHIVED, as a file dropped now would be.
  if (partitions!.archived.length > 0 && (await sendBackToNormalise(ctx, submissionId))) {
    ctx.log.warn({ submissionId, years: partitions!.archived }, 'a year of the file was archived after it was staged: checking it again');
    return { outcome: 'restage', submissionId };
  }
  const result = await db.transaction().execute(async (trx) => {
    // Row lock: two workers loading the same submission serialise here, the second sees 'loaded'.
    // With the catalogue lock, shared with the other loads: a sync and a load never overlap.
    const { catalog_lock: _, ...submission } = await trx
      .selectFrom('core.submission')
      .selectAll()
      .select(catalogLockShared().as('catalog_lock'))
      .where('submission_id', '=', submissionId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (submission.state !== 'staged') return { kind: 'skipped', submission } as const;
    const staged = submission.values_staged ?? 0;
    await applyBulkSettings(trx, staged, ctx.config.workMem);
    const years = await yearsStaged(trx, submission);
    // A bulk load keeps other loads of its years out: it writes a year's first values without the upsert.
    const exclusive = staged >= BULK_ROWS;
    await lockYearsForLoad(trx, years, exclusive);
    const { rows } = await runSql<{ intact: boolean; catalog_unchanged: boolean; values_loaded: number; years: number[] }>(trx, 'load_submission', [
      submissionId,
      submission.number_convention,
      submission.values_staged ?? 0,
      // Normalise recorded every period and unit it staged a value for.
      ...periodBounds(submission.periods),
      submission.periods,
      submission.unit_keys,
      exclusive ? years : [],
      submission.catalog_version,
    ]);
    const loaded = rows[0]!;
    // Never load what a Postgres crash left of the (unlogged) staging, nor a file checked against
    // the catalogue before a sync: normalise it again.
    if (!loaded.intact) {
      const why = loaded.catalog_unchanged ? 'staged rows lost (database crash)' : 'a catalogue sync since the file was checked';
      return { kind: 'restage', why: `${why}: normalising again` } as const;
    }
    return { kind: 'loaded', submission: { ...submission, state: 'loaded', values_loaded: loaded.values_loaded }, loaded } as const;
  });
  if (result.kind === 'restage') {
    ctx.log.warn({ submissionId }, result.why);
    return { outcome: 'restage', submissionId };
  }
  if (result.kind === 'skipped') {
    const skipped = result.submission;
    // A worker that died after the commit, or a full disk, left the file in work/ or without its
    // receipt: finish that (the scan hands such submissions on as load jobs, duplicates too).
    if (awaitsArchive(skipped)) await archiveSubmission(ctx, skipped);
    return { outcome: 'skipped', submissionId, state: skipped.state };
  }

  const { submission, loaded } = result;
  const { years } = loaded;
  await archiveSubmission(ctx, submission);
  ctx.log.info({ submissionId, values: loaded.values_loaded, years }, 'submission loaded');
  return { outcome: 'loaded', submissionId, valuesLoaded: loaded.values_loaded, years };
}

/** The years a submission has values in: normalise recorded its periods; else the staged rows say. */
async function yearsStaged(trx: Transaction<DB>, submission: Selectable<SubmissionTable>): Promise<number[]> {
  const recorded = periodYears(submission.periods);
  if (recorded) return recorded;
  const { rows } = await sql<{ year: number }>`
    SELECT DISTINCT left(period_code, 4)::int AS year FROM core.staged_value WHERE submission_id = ${submission.submission_id}`.execute(trx);
  return rows.map((r) => r.year);
}

/** A staged submission back to received, for normalise; false if it is no longer staged (loaded by a retry). */
async function sendBackToNormalise(ctx: StageContext, submissionId: string): Promise<boolean> {
  const sent = await ctx.database.db
    .updateTable('core.submission')
    .set({ state: 'received' })
    .where('submission_id', '=', submissionId)
    .where('state', '=', 'staged')
    .returning('submission_id')
    .executeTakeFirst();
  return sent !== undefined;
}
