// Withdrawing a loaded submission: a file sent by mistake (another ward's figures, the wrong
// period, a draft) no longer counts. Every cell it holds the current value of takes the value the
// precedence rules give without it, or none; its observations stay in the history, and its bytes
// may be sent again. The computed figures of its indicators (and of those they weight) are
// rebuilt in its years by the next rollup, since a cell that lost its only reported value leaves
// sums, derived periods and comparable series that the incremental rollup would not take back.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { catalogLockShared } from '../db/catalog-lock.js';
import { periodBounds, periodYears } from '../db/period-bounds.js';
import { runSql } from '../db/sql-file.js';
import { lockYearsForLoad } from '../db/year-locks.js';
import { withWhatTheyWeight, type IndicatorRules } from '../catalog/rules-change.js';
import { markForRebuild } from '../rollup/rebuild.js';
import { DstatsError } from '../errors.js';
import { yearSpan } from '../report/spans.js';

export interface Withdrawal {
  submissionId: string;
  sourceId: string;
  fileName: string;
  /** where its file is (archive/) */
  storedPath: string;
  withdrawnAt: Date;
  reason: string;
  /** Cells that now hold another submission's value. */
  restored: number;
  /** Cells that no longer have a reported value. */
  removed: number;
  /** Indicators whose computed figures the next rollup rebuilds, in `years`. */
  indicators: string[];
  years: number[];
}

/** Withdraws a loaded submission in one transaction; throws a DstatsError (WITHDRAW_*) when it cannot be withdrawn. */
export async function withdrawSubmission(db: Kysely<DB>, submissionId: string, reason: string): Promise<Withdrawal> {
  if (!/^[1-9]\d{0,17}$/.test(submissionId)) throw new DstatsError('WITHDRAW_NOT_FOUND', { id: submissionId });
  return db.transaction().execute(async (trx) => {
    // As a load: the submission's row, and the catalogue shared (a sync moves observations).
    const submission = await trx
      .selectFrom('core.submission')
      .select(['submission_id', 'source_id', 'file_name', 'state', 'stored_path', 'periods', 'reported_at'])
      .select(catalogLockShared().as('catalog_lock'))
      .where('submission_id', '=', submissionId)
      .forUpdate()
      .executeTakeFirst();
    if (!submission) throw new DstatsError('WITHDRAW_NOT_FOUND', { id: submissionId });
    const facts = { id: submissionId, file: `${submission.source_id}/${submission.file_name}` };
    if (submission.state !== 'loaded') throw new DstatsError('WITHDRAW_NOT_LOADED', { ...facts, state: submission.state });
    if (submission.reported_at === null) throw new DstatsError('WITHDRAW_NOT_ARCHIVED', facts);

    const years = periodYears(submission.periods) ?? [];
    const archived = await archivedYears(trx, years);
    if (archived.length > 0) throw new DstatsError('WITHDRAW_YEAR_ARCHIVED', { id: submissionId, years: yearSpan(archived) });
    // Its years exclusively, as a bulk load: the loads of those years in flight commit first, so
    // that the next best value is chosen among their observations too, and later ones wait.
    await lockYearsForLoad(trx, years, true);

    // Marked while its values are still current: the mark is made only for years holding values.
    const indicators = withWhatTheyWeight(await indicatorsOf(trx, submissionId, submission.periods), await indicatorRules(trx));
    const rebuilt = indicators.length > 0 ? await markForRebuild(trx, indicators, years) : [];
    const { rows: [changed] } = await runSql<{ restored: number; removed: number; withdrawn_at: Date }>(trx, 'withdraw_submission', [
      submissionId,
      ...periodBounds(submission.periods),
      reason,
    ]);
    return {
      submissionId,
      sourceId: submission.source_id,
      fileName: submission.file_name,
      storedPath: submission.stored_path,
      withdrawnAt: changed!.withdrawn_at,
      reason,
      restored: changed!.restored,
      removed: changed!.removed,
      indicators,
      years: rebuilt,
    };
  });
}

async function archivedYears(trx: Transaction<DB>, years: readonly number[]): Promise<number[]> {
  if (years.length === 0) return [];
  const { rows } = await sql<{ years: number[] }>`SELECT core.archived_years(${years}::int[]) AS years`.execute(trx);
  return rows[0]!.years;
}

async function indicatorsOf(trx: Transaction<DB>, submissionId: string, periods: readonly string[]): Promise<string[]> {
  const [from, to] = periodBounds(periods);
  const rows = await trx
    .selectFrom('core.observation')
    .select('indicator_code')
    .distinct()
    .where('submission_id', '=', submissionId)
    .where('period_code', '>=', from)
    .where('period_code', '<', to)
    .execute();
  return rows.map((r) => r.indicator_code);
}

const indicatorRules = async (trx: Transaction<DB>) => (await runSql<IndicatorRules>(trx, 'catalog_indicator_rules')).rows;
