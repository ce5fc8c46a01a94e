// BullMQ workers: thin wrappers that run the pipeline steps of src/ for each job.
import { DelayedError, Worker, type Job } from 'bullmq';
import type { RedisClient } from './connection.js';
import { OutageLog } from './outage-log.js';
import { redisErrorListener } from './redis-trouble.js';
import { WorkCount } from './work-count.js';
import { isDatabaseUnavailable, waitForDatabase } from '../src/db/unavailable.js';
import type { StageContext } from '../src/pipeline/context.js';
import { rejectAfterFailures } from '../src/pipeline/reject.js';
import { steps, type Dispatcher } from '../src/pipeline/steps.js';
import { rollupWaitUntil } from '../src/rollup/wait.js';
import { filesInFlight, queueDispatcher, STAGES, type Queues, type StageName } from './queues.js';

export interface WorkerPool {
  workers: Worker[];
  close(): Promise<void>;
  /** Jobs doing their own work (work-count.ts). */
  jobsAtWork(): number;
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
  const onError = redisErrorListener(ctx.log, options.connection);
  const work = new WorkCount();
  const waitingOnRedis = <T>(call: () => Promise<T>) => work.aside(call);
  const databaseOutage = new OutageLog('database', ctx.log);
  const stopping = new AbortController();
  // One wait per process, whichever jobs found the database away.
  let databaseBack: Promise<void> | null = null;
  const untilDatabaseBack = () => (databaseBack ??= waitForDatabase(ctx.database, { signal: stopping.signal }).finally(() => (databaseBack = null)));
  const dispatch = queueDispatcher(queues);
  const next: Dispatcher = {
    intake: (payload) => waitingOnRedis(() => dispatch.intake(payload)),
    normalise: (id) => waitingOnRedis(() => dispatch.normalise(id)),
    load: (id) => waitingOnRedis(() => dispatch.load(id)),
    rollup: () => waitingOnRedis(() => dispatch.rollup()),
    publish: (years) => waitingOnRedis(() => dispatch.publish(years)),
  };
  const processors: Record<StageName, (job: Job<JobData>, token?: string) => Promise<unknown>> = {
    scan: () => steps.scan(ctx, next),
    intake: (job) => steps.intake(ctx, next, job.data),
    normalise: (job) => steps.normalise(ctx, next, job.data.submissionId),
    load: (job) => steps.load(ctx, next, job.data.submissionId),
    rollup: async (job, token) => {
      const inFlight = await waitingOnRedis(() => filesInFlight(queues));
      const until = rollupWaitUntil({ queuedAt: job.timestamp, now: Date.now(), filesInFlight: inFlight, maxWaitMs: ctx.config.rollupMaxWaitMs });
      if (until !== null) {
        // Still the one deduplicated rollup while delayed: loads finishing meanwhile add no other.
        await waitingOnRedis(() => job.moveToDelayed(until, token));
        throw new DelayedError();
      }
      return steps.rollup(ctx, next);
    },
    publish: (job) => steps.publish(ctx, next, job.data.years),
  };
  const workers = (options.stages ?? STAGES).map((stage) => {
    // A job that cannot reach the database waits for it and runs again, without using up a
    // retry: the steps are idempotent, as their retries already require. A stopping worker stops
    // waiting, and the job's attempt fails for another worker to retry.
    const processor = (job: Job<JobData>, token?: string) =>
      work.run(async () => {
        for (;;) {
          try {
            return await processors[stage](job, token);
          } catch (error) {
            if (!isDatabaseUnavailable(error) || stopping.signal.aborted) throw error;
            databaseOutage.failed(error instanceof Error ? error.message : String(error), `worker ${stage}`);
            await work.aside(untilDatabaseBack).catch(() => Promise.reject(error));
            databaseOutage.recovered();
          }
        }
      });
    const worker = new Worker<JobData>(stage, processor, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? ctx.config.concurrency,
      // A killed worker's jobs come back after this long (BullMQ's stalled-job check).
      lockDuration: ctx.config.jobLockMs,
      stalledInterval: ctx.config.jobLockMs,
    });
    worker.on('failed', (job, error) => void onFailed(ctx, stage, job, error));
    worker.on('error', (error) => onError(error, `worker ${stage}`));
    return worker;
  });
  return {
    workers,
    // close() lets in-flight jobs finish: what SIGTERM needs.
    close: async () => {
      stopping.abort();
      await Promise.all(workers.map((w) => w.close()));
    },
    jobsAtWork: () => work.atWork,
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
    await rejectAfterFailures(ctx, job.data.submissionId, job.attemptsMade, error);
  } catch (cleanupError) {
    ctx.log.error({ err: cleanupError, submissionId: job.data.submissionId }, 'could not reject failed submission');
  }
}
