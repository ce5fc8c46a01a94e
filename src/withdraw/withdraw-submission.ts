// Withdrawing a loaded submission: a file sent by mistake (another ward's figures, the wrong
// period, a draft) no longer counts. Every cell it holds the current value of takes the value the
// precedence rules give without it, or none; its observations stay in the history, and its bytes
// may be sent again. The computed figures of its indicators (and of those they weight) are
// rebuilt in its years by a rollup right after, since a cell that lost its only reported value
// leaves sums, derived periods and comparable series that the incremental rollup would not take
// back.
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
import { writeWithdrawalNote } from '../report/withdrawal-note.js';
import { publishYears } from '../mart/publish.js';
import { rollupPending } from '../rollup/rollup.js';
import type { StageContext } from '../pipeline/context.js';

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
}

/** Submissions withdrawn together, and what their rebuild computes again. */
export interface Withdrawn<W extends Withdrawal = Withdrawal> {
  withdrawals: W[];
  /** Indicators whose computed figures are rebuilt, in `years`. */
  indicators: string[];
  years: number[];
}

/** A withdrawal with its note beside the file: where it was written, or why it could not be. */
export type NotedWithdrawal = Withdrawal & { note: { path: string } | { error: string } };

/**
 * `dstats withdraw`: withdraws the submissions (all or none), writes each file's note, and rolls
 * up at once, publishing each year it brings current, so the mart is right when it returns. A
 * note that cannot be written does not undo the withdrawal.
 */
export async function withdrawAndRollUp(ctx: StageContext, submissionIds: readonly string[], reason: string): Promise<Withdrawn<NotedWithdrawal>> {
  const withdrawn = await withdrawSubmissions(ctx.database.db, submissionIds, reason);
  const withdrawals: NotedWithdrawal[] = [];
  for (const withdrawal of withdrawn.withdrawals) {
    const note = await writeWithdrawalNote(ctx.config.root, withdrawal).then((path) => ({ path }), (error: Error) => ({ error: error.message }));
    withdrawals.push({ ...withdrawal, note });
  }
  await rollupPending(ctx, async (years) => void (await publishYears(ctx, years)));
  return { ...withdrawn, withdrawals };
}

/**
 * Withdraws loaded submissions, all of them or none, in one transaction; throws a DstatsError
 * (WITHDRAW_*) naming the first that cannot be withdrawn. Returns one Withdrawal each, in id order,
 * and the rebuild they marked.
 */
export async function withdrawSubmissions(db: Kysely<DB>, submissionIds: readonly string[], reason: string): Promise<Withdrawn> {
  const ids = [...new Set(submissionIds)];
  const malformed = ids.find((id) => !/^[1-9]\d{0,17}$/.test(id));
  if (malformed !== undefined) throw new DstatsError('WITHDRAW_NOT_FOUND', { id: malformed });
  ids.sort((a, b) => Number(a) - Number(b));
  if (ids.length === 0) return { withdrawals: [], indicators: [], years: [] };
  return db.transaction().execute(async (trx) => {
    // As a load: the submissions' rows (in id order, as every withdrawal takes them), and the
    // catalogue shared (a sync moves observations).
    const found = await trx
      .selectFrom('core.submission')
      .select(['submission_id', 'source_id', 'file_name', 'state', 'stored_path', 'periods', 'reported_at'])
      .select(catalogLockShared().as('catalog_lock'))
      .where('submission_id', 'in', ids)
      .orderBy('submission_id')
      .forUpdate()
      .execute();
    const missing = ids.find((id) => !found.some((s) => s.submission_id === id));
    if (missing !== undefined) throw new DstatsError('WITHDRAW_NOT_FOUND', { id: missing });
    for (const submission of found) {
      const facts = { id: submission.submission_id, file: `${submission.source_id}/${submission.file_name}` };
      if (submission.state !== 'loaded') throw new DstatsError('WITHDRAW_NOT_LOADED', { ...facts, state: submission.state });
      if (submission.reported_at === null) throw new DstatsError('WITHDRAW_NOT_ARCHIVED', facts);
    }
    const periods = found.flatMap((s) => s.periods);
    const years = periodYears(periods) ?? [];
    // One question for all their years; the first submission with one of them is named.
    const archived = new Set(await archivedYears(trx, years));
    const inArchive = found.find((s) => (periodYears(s.periods) ?? []).some((year) => archived.has(year)));
    if (inArchive) {
      const itsYears = (periodYears(inArchive.periods) ?? []).filter((year) => archived.has(year));
      throw new DstatsError('WITHDRAW_YEAR_ARCHIVED', { id: inArchive.submission_id, years: yearSpan(itsYears) });
    }

    // Their years exclusively, as a bulk load, in one ascending pass: the loads of those years in
    // flight commit first, so that the next best value is chosen among their observations too,
    // and later ones wait.
    await lockYearsForLoad(trx, years, true);

    // Marked while their values are still current: the mark is made only for years holding values.
    const indicators = withWhatTheyWeight(await indicatorsOf(trx, ids, periods), await indicatorRules(trx));
    const rebuilt = indicators.length > 0 ? await markForRebuild(trx, indicators, years) : [];
    const withdrawals: Withdrawal[] = [];
    for (const submission of found) {
      const { rows: [changed] } = await runSql<{ restored: number; removed: number; withdrawn_at: Date }>(trx, 'withdraw_submission', [
        submission.submission_id,
        ...periodBounds(submission.periods),
        reason,
      ]);
      withdrawals.push({
        submissionId: submission.submission_id,
        sourceId: submission.source_id,
        fileName: submission.file_name,
        storedPath: submission.stored_path,
        withdrawnAt: changed!.withdrawn_at,
        reason,
        restored: changed!.restored,
        removed: changed!.removed,
      });
    }
    return { withdrawals, indicators, years: rebuilt };
  });
}

async function archivedYears(trx: Transaction<DB>, years: readonly number[]): Promise<number[]> {
  if (years.length === 0) return [];
  const { rows } = await sql<{ years: number[] }>`SELECT core.archived_years(${years}::int[]) AS years`.execute(trx);
  return rows[0]!.years;
}

async function indicatorsOf(trx: Transaction<DB>, submissionIds: readonly string[], periods: readonly string[]): Promise<string[]> {
  const [from, to] = periodBounds(periods);
  const rows = await trx
    .selectFrom('core.observation')
    .select('indicator_code')
    .distinct()
    .where('submission_id', 'in', submissionIds)
    .where('period_code', '>=', from)
    .where('period_code', '<', to)
    .execute();
  return rows.map((r) => r.indicator_code);
}

const indicatorRules = async (trx: Transaction<DB>) => (await runSql<IndicatorRules>(trx, 'catalog_indicator_rules')).rows;
