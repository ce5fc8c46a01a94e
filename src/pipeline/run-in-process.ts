// One pass without Redis: the same steps, run in order in this process. Rollups are coalesced:
// one rollup after every file has loaded.
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { StageContext } from './context.js';
import type { ProgressListener, RunProgress } from './progress.js';
import { rejectAfterFailures } from './reject.js';
import { ATTEMPTS, retryDelayMs } from './retry.js';
import { steps, type Dispatcher, type IntakePayload } from './steps.js';

export interface InProcessOutcome {
  files: number;
  failures: { what: string; error: string }[];
}

export async function runInProcess(ctx: StageContext, options: { onProgress?: ProgressListener } = {}): Promise<InProcessOutcome> {
  const failures: InProcessOutcome['failures'] = [];
  const files: IntakePayload[] = [];
  // One submission that cannot be finished must not block the others.
  const guarded = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (error) {
      ctx.log.error({ err: error, what }, 'failed');
      failures.push({ what, error: (error as Error).message });
    }
  };
  const dispatcher: Dispatcher = {
    // The scan lists the files first, so progress knows the total.
    intake: async (payload) => void files.push(payload),
    // Unfinished work of an interrupted earlier run comes through here from the scan.
    normalise: (id) => guarded(`submission ${id}`, () => withRetries(ctx, id, () => steps.normalise(ctx, dispatcher, id))),
    load: (id) => guarded(`submission ${id}`, () => withRetries(ctx, id, () => steps.load(ctx, dispatcher, id))),
    rollup: async () => undefined, // after the last file, below
    publish: async (years) => void (await steps.publish(ctx, dispatcher, years)),
  };

  await steps.scan(ctx, dispatcher);
  const progress: RunProgress = { total: files.length, done: 0, rows: 0, rejected: 0 };
  options.onProgress?.(progress);
  for (const payload of files) {
    // A fault outside the file (database gone, disk full) stops this file, not the run.
    try {
      const result = await steps.intake(ctx, dispatcher, payload);
      if (result.outcome !== 'gone') await countFile(ctx, result.submissionId, progress);
    } catch (error) {
      ctx.log.error({ err: error, sourceId: payload.sourceId }, 'file failed');
      failures.push({ what: `${payload.sourceId}/${payload.fileName}`, error: (error as Error).message });
    }
    progress.done++;
    options.onProgress?.(progress);
  }
  await steps.rollup(ctx, dispatcher);
  return { files: files.length, failures };
}

async function countFile(ctx: StageContext, submissionId: string, progress: RunProgress) {
  const row = await ctx.database.db.selectFrom('core.submission').select(['state', 'rows_read']).where('submission_id', '=', submissionId).executeTakeFirst();
  progress.rows += row?.rows_read ?? 0;
  if (row?.state === 'rejected') progress.rejected++;
}

/**
 * Tries a submission's step as the queues do (retry.ts) and rejects it with PROCESSING_FAILED
 * after the last try: a file whose processing kept failing stayed in work/ through every run.
 * A database that cannot be reached now is no fault of the file: the next run tries again.
 */
async function withRetries(ctx: StageContext, submissionId: string, step: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await step();
      return;
    } catch (error) {
      if (isDatabaseUnavailable(error) || !(error instanceof Error)) throw error;
      if (attempt >= ATTEMPTS) {
        if (await rejectAfterFailures(ctx, submissionId, attempt, error)) return;
        throw error;
      }
      ctx.log.warn({ submissionId, attempt, err: error.message }, 'submission failed, trying again');
      await sleep(retryDelayMs(attempt));
    }
  }
}
