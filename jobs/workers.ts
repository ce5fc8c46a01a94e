// BullMQ workers: thin wrappers that run the pipeline steps of src/ for each job.
import { DelayedError, Worker, type Job } from 'bullmq';
import type { RedisClient } from './connection.js';
import { ProblemList, problem } from '../src/normalise/problems.js';
import type { StageContext } from '../src/pipeline/context.js';
import { rejectSubmission } from '../src/pipeline/reject.js';
import { steps } from '../src/pipeline/steps.js';
import { rollupWaitUntil } from '../src/rollup/wait.js';
import { filesInFlight, queueDispatcher, STAGES, type Queues, type StageName } from './queues.js';

export interface WorkerPool {
  workers: Worker[];
  close(): Promise<void>;
}

type JobData = { sourceId: string; fileName: string; submissionId: string; years: number[] };

export function startWorkers(options: {
  ctx: StageContext;
  queues: Queues;
  connection: RedisClient;
  prefix: string;
  stages?: readonly StageName[];
  concurrency?: number;
}): WorkerPool {
  const { ctx, queues } = options;
  const next = queueDispatcher(queues);
  const processors: Record<StageName, (job: Job<JobData>, token?: string) => Promise<unknown>> = {
    scan: () => steps.scan(ctx, next),
    intake: (job) => steps.intake(ctx, next, job.data),
    normalise: (job) => steps.normalise(ctx, next, job.data.submissionId),
    load: (job) => steps.load(ctx, next, job.data.submissionId),
    rollup: async (job, token) => {
      const inFlight = await filesInFlight(queues);
      const until = rollupWaitUntil({ queuedAt: job.timestamp, now: Date.now(), filesInFlight: inFlight, maxWaitMs: ctx.config.rollupMaxWaitMs });
      if (until !== null) {
        // Still the one deduplicated rollup while delayed: loads finishing meanwhile add no other.
        await job.moveToDelayed(until, token);
        throw new DelayedError();
      }
      return steps.rollup(ctx, next);
    },
    publish: (job) => steps.publish(ctx, next, job.data.years),
  };
  const workers = (options.stages ?? STAGES).map((stage) => {
    const worker = new Worker<JobData>(stage, processors[stage], {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? ctx.config.concurrency,
      // A killed worker's jobs come back after this long (BullMQ's stalled-job check).
      lockDuration: ctx.config.jobLockMs,
      stalledInterval: ctx.config.jobLockMs,
    });
    worker.on('failed', (job, error) => void onFailed(ctx, stage, job, error));
    worker.on('error', (error) => ctx.log.error({ err: error, stage }, 'worker error'));
    return worker;
  });
  return {
    workers,
    // close() lets in-flight jobs finish: what SIGTERM needs.
    close: async () => void (await Promise.all(workers.map((w) => w.close()))),
  };
}

/** A submission whose job has used up its retries ends in rejected/ with the reason: never stuck. */
async function onFailed(ctx: StageContext, stage: StageName, job: Job<JobData> | undefined, error: Error) {
  ctx.log.warn({ stage, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'job failed');
  // Final when out of attempts, or when BullMQ gave up on a job whose worker kept dying.
  const final = job && (job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled more than allowable limit/i.test(error.message));
  if (!job || !final) return;
  if (stage !== 'normalise' && stage !== 'load') return;
  try {
    const submission = await ctx.database.db
      .selectFrom('core.submission')
      .select(['submission_id', 'source_id', 'stored_path', 'state', 'file_name'])
      .where('submission_id', '=', job.data.submissionId)
      .executeTakeFirst();
    if (!submission || (submission.state !== 'received' && submission.state !== 'staged')) return;
    const problems = new ProblemList();
    problems.add(problem('PROCESSING_FAILED', {}, { attempts: job.attemptsMade, detail: error.message.slice(0, 200) }));
    await rejectSubmission(ctx, submission, problems);
  } catch (cleanupError) {
    ctx.log.error({ err: cleanupError, submissionId: job.data.submissionId }, 'could not reject failed submission');
  }
}
