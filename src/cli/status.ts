// `dstats status`: what an officer checks in the morning.
import { sql } from 'kysely';
import { redisTargetOf } from '../config.js';
import { DstatsError } from '../errors.js';
import { awaitingArchive } from '../pipeline/archive.js';
import { areaDir, hasInbox } from '../pipeline/drop-root.js';
import { scanInbox } from '../pipeline/scan.js';
import { rejectionLines } from '../pipeline/summary.js';
import type { RebuildMark } from '../rollup/rebuild.js';
import { formatStrays } from '../report/inbox-strays.js';
import { terminalSafe } from '../report/terminal-text.js';
import { lastRun } from '../schedule/slots.js';
import type { Session } from './session.js';
import { yearSpan } from '../report/spans.js';

export async function statusReport(s: Session): Promise<string> {
  const db = s.database.db;
  const lines: string[] = [`database: ${s.database.description}`];
  const hasSchema = await sql<{ ok: boolean }>`SELECT to_regclass('core.submission') IS NOT NULL AS ok`.execute(db);
  if (!hasSchema.rows[0]?.ok) return [...lines, 'not migrated yet: run `dstats migrate`'].join('\n');

  const byState = await db.selectFrom('core.submission').select(['state', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('state').execute();
  lines.push('submissions: ' + (byState.map((r) => `${r.state} ${r.n}`).join(' · ') || 'none'));
  const rejected = await db
    .selectFrom('core.submission')
    .select(['submission_id', 'source_id', 'file_name', 'problem_count', 'first_problem', 'first_problem_vi', 'finished_at'])
    .where('state', '=', 'rejected')
    .where('finished_at', '>=', sql<Date>`now() - interval '7 days'`)
    .orderBy('submission_id', 'desc')
    .limit(20)
    .execute();
  lines.push(`rejected in the last 7 days: ${rejected.length}`);
  for (const r of rejected) lines.push(...rejectionLines(`#${r.submission_id} ${r.source_id}/${r.file_name}`, r.problem_count, r.first_problem, r.first_problem_vi));
  const withdrawn = await db
    .selectFrom('core.submission')
    .select(['submission_id', 'source_id', 'file_name', 'withdrawal_reason'])
    .where('state', '=', 'withdrawn')
    .where('withdrawn_at', '>=', sql<Date>`now() - interval '7 days'`)
    .orderBy('submission_id', 'desc')
    .limit(20)
    .execute();
  if (withdrawn.length > 0) lines.push(`withdrawn in the last 7 days: ${withdrawn.length}`);
  for (const w of withdrawn) lines.push(terminalSafe(`  #${w.submission_id} ${w.source_id}/${w.file_name}: ${w.withdrawal_reason ?? '-'}`));
  const nightly = await lastRun(db, 'nightly');
  lines.push(
    nightly
      ? `last nightly run: ${nightly.slot.toISOString()} by ${nightly.claimed_by}${nightly.finished_at ? `, ${nightly.files ?? 0} file(s)` : ' (not finished: running, or waiting for a scheduler to take it over)'}`
      : 'last nightly run: none yet',
  );
  const inbox = await scanInbox(s.config.root, { settleMs: 0 });
  lines.push((await hasInbox(s.config.root))
    ? `files waiting in inbox/: ${inbox.ready.length}`
    : `files waiting in inbox/: no folder ${areaDir(s.config.root, 'inbox')} (check --root or DSTATS_ROOT)`);
  lines.push(...formatStrays(inbox.strays));
  const unreported = await db
    .selectFrom('core.submission')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(awaitingArchive)
    .executeTakeFirstOrThrow();
  // Loads commit before their receipt: one missing for long means the drop root could not be written.
  if (Number(unreported.n) > 0) lines.push(`receipts not written yet: ${unreported.n} (the drop root full? the next scan writes them)`);
  const pending = (await db.selectFrom('core.rollup_pending').select('year')
    .union(db.selectFrom('core.comparable_stale').select('year')).execute()).map((r) => r.year);
  const marks = await db.selectFrom('core.rollup_rebuild').select(['year', 'indicator_codes', 'marked_at']).orderBy('year').execute();
  const rebuild = marks.map((r) => r.year);
  const waitingYears = [...new Set([...pending, ...rebuild])].sort((a, b) => a - b);
  if (waitingYears.length) {
    lines.push(`rollup waiting: ${yearSpan(waitingYears)}${marks.length ? `, ${rebuildWaiting(marks)}` : ''}`);
  }
  const published = await db.selectFrom('core.publication').selectAll().orderBy('published_at', 'desc').limit(5).execute();
  if (published.length) lines.push('last published: ' + published.map((p) => `${p.year} at ${p.published_at.toISOString()}`).join(', '));

  lines.push(...(await queueLines(s)));
  return lines.join('\n');
}

/** Queue depths; a Redis that cannot be reached is one line of the report, not a hang. */
async function queueLines(s: Session): Promise<string[]> {
  const redis = redisTargetOf(s.config);
  if (!redis) return ['queues: none (no REDIS_URL: stages run in-process)'];
  const { assertRedisReachable, redisConnection } = await import('../../jobs/connection.js');
  try {
    await assertRedisReachable(redis);
  } catch (error) {
    if (!(error instanceof DstatsError)) throw error;
    return error.lines('queues: ');
  }
  const { createQueues, closeQueues } = await import('../../jobs/queues.js');
  const connection = redisConnection(redis);
  const queues = createQueues(connection, s.config.queuePrefix);
  try {
    const lines: string[] = [];
    for (const [name, queue] of Object.entries(queues)) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      lines.push(`queue ${name}: waiting ${c.waiting} · active ${c.active} · delayed ${c.delayed} · failed ${c.failed}`);
    }
    return lines;
  } finally {
    await closeQueues(queues);
    connection.disconnect();
  }
}

/**
 * The years and indicators waiting for a rebuild, and when a sync last marked them: a rebuild that
 * waits long after a sync means no run or worker has rolled up since (rollup_mark_rebuild.sql).
 */
function rebuildWaiting(marks: readonly (RebuildMark & { marked_at: Date })[]): string {
  const indicators = marks.some((m) => m.indicator_codes === null)
    ? 'every indicator'
    : [...new Set(marks.flatMap((m) => m.indicator_codes!))].sort().join(', ');
  const lastMarked = new Date(Math.max(...marks.map((m) => m.marked_at.getTime())));
  return `rebuilt after a change of the catalogue's rules: ${yearSpan(marks.map((m) => m.year))} (${indicators}; marked ${lastMarked.toISOString()})`;
}
