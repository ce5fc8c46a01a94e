// The pipeline as steps: each runs one stage function and hands ids to the next step through a
// Dispatcher. The in-process runner and the BullMQ workers use the same steps with different
// dispatchers, so both paths do exactly the same work.
import { loadSubmission } from '../load/load-submission.js';
import { publishYears } from '../mart/publish.js';
import { normaliseSubmission } from '../normalise/stage.js';
import { rollupPending } from '../rollup/rollup.js';
import type { StageContext } from './context.js';
import { intakeFile } from './intake.js';
import { scanInbox } from './scan.js';
import { withSubmissionLock } from './submission-lock.js';
import { unfinishedWork } from './unfinished.js';

export interface IntakePayload {
  sourceId: string;
  fileName: string;
  /** what the scan saw, so a new file under an old name is a new job */
  size?: number;
  mtimeMs?: number;
}

/** Hands work to the next stage; payloads are ids, never rows. */
export interface Dispatcher {
  intake(payload: IntakePayload): Promise<void>;
  normalise(submissionId: string): Promise<void>;
  load(submissionId: string): Promise<void>;
  rollup(): Promise<void>;
  publish(years: number[]): Promise<void>;
}

export const steps = {
  async scan(ctx: StageContext, next: Dispatcher): Promise<{ files: number; resumed: number }> {
    // The folders and Postgres are the source of truth: whatever a lost queue (Redis flushed or
    // restarted, a worker killed) left unfinished is handed on again. Job ids are per submission,
    // so work still queued is not duplicated.
    const unfinished = await unfinishedWork(ctx);
    for (const id of unfinished.received) await next.normalise(id);
    for (const id of unfinished.staged) await next.load(id);
    // The load stage finishes a loaded file's archive and receipt (load-submission.ts).
    for (const id of unfinished.unreported) await next.load(id);
    if (unfinished.rollup) await next.rollup();
    const { ready: files, strays } = await scanInbox(ctx.config.root, { settleMs: ctx.config.settleMs });
    for (const file of files) await next.intake(file);
    const resumed = unfinished.received.length + unfinished.staged.length + unfinished.unreported.length;
    ctx.log.info({ files: files.length, resumed, rollup: unfinished.rollup }, 'scan done');
    if (strays.length > 0) ctx.log.warn({ count: strays.length, first: strays.slice(0, 5) }, 'inbox/ holds files that cannot be taken (dstats status lists them)');
    return { files: files.length, resumed };
  },

  async intake(ctx: StageContext, next: Dispatcher, payload: IntakePayload) {
    const result = await intakeFile(ctx, payload);
    if (result.outcome === 'registered') await next.normalise(result.submissionId);
    return result;
  },

  async normalise(ctx: StageContext, next: Dispatcher, submissionId: string) {
    const result = await withSubmissionLock(ctx, submissionId, () => normaliseSubmission(ctx, submissionId));
    if (result === 'busy') return { outcome: 'busy' as const, submissionId };
    // Also when a retried job finds the work done but the hand-over lost.
    if (result.outcome === 'staged' || (result.outcome === 'skipped' && result.state === 'staged')) await next.load(submissionId);
    return result;
  },

  async load(ctx: StageContext, next: Dispatcher, submissionId: string) {
    const result = await loadSubmission(ctx, submissionId);
    if (result.outcome === 'loaded' && result.years.length > 0) await next.rollup();
    if (result.outcome === 'restage') await next.normalise(submissionId);
    return result;
  },

  async rollup(ctx: StageContext, next: Dispatcher) {
    // Each pass publishes its years as it commits.
    return rollupPending(ctx, (years) => next.publish(years));
  },

  async publish(ctx: StageContext, _next: Dispatcher, years: number[]) {
    return publishYears(ctx, years);
  },
};
