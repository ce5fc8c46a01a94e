// The queues of the pipeline and a Dispatcher that hands work to them. Payloads carry ids only.
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions, type JobType } from 'bullmq';
import type { Logger } from 'pino';
import type { RedisClient } from './connection.js';
import { redisErrorListener } from './redis-trouble.js';
import { ATTEMPTS, FIRST_RETRY_DELAY_MS } from '../src/pipeline/retry.js';
import type { Dispatcher, IntakePayload } from '../src/pipeline/steps.js';

export const STAGES = ['scan', 'intake', 'normalise', 'load', 'rollup', 'publish'] as const;
export type StageName = (typeof STAGES)[number];

/** The stages that carry a file to the warehouse, upstream first; the rollup follows them. */
export const FILE_STAGES = ['scan', 'intake', 'normalise', 'load'] as const satisfies readonly StageName[];

export type Queues = Record<StageName, Queue>;

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  // Transient faults (database or Redis unreachable) are retried with backoff; bad input never
  // throws, it ends as a rejected file.
  attempts: ATTEMPTS,
  backoff: { type: 'exponential', delay: FIRST_RETRY_DELAY_MS },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * With `log`, the queues' Redis errors go to it, an outage told once (redis-trouble.ts); without,
 * the caller listens itself (BullMQ prints the errors of a queue nobody listens to).
 */
export function createQueues(connection: RedisClient, prefix: string, log?: Logger): Queues {
  const onError = log ? redisErrorListener(log, connection) : null;
  return Object.fromEntries(
    STAGES.map((name) => {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      if (onError) queue.on('error', (error) => onError(error, `queue ${name}`));
      return [name, queue];
    }),
  ) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

// BullMQ ids may not contain ':'; hash the file identity instead.
function fileKey(p: IntakePayload): string {
  return 'intake-' + createHash('sha1').update(`${p.sourceId}/${p.fileName}/${p.size ?? ''}/${p.mtimeMs ?? ''}`).digest('hex');
}

export function queueDispatcher(queues: Queues): Dispatcher {
  return {
    // Deduplicated while queued or running, not after: a submission sent back (staging lost in a
    // crash) or re-dispatched by a scan after its job finished gets a new job.
    intake: async (p) => void (await queues.intake.add('intake', p, { deduplication: { id: fileKey(p) } })),
    normalise: async (id) => void (await queues.normalise.add('normalise', { submissionId: id }, { deduplication: { id: `normalise-${id}` } })),
    load: async (id) => void (await queues.load.add('load', { submissionId: id }, { deduplication: { id: `load-${id}` } })),
    // Any number of loads make one rollup: while one runs, at most one more waits.
    rollup: async () => void (await queues.rollup.add('rollup', {}, { deduplication: { id: 'rollup', keepLastIfActive: true } })),
    publish: async (years) => void (await queues.publish.add('publish', { years })),
  };
}

/**
 * Jobs in these states across these stages. Read one stage after another, upstream first: a job
 * adds its successor before it completes, so a file moving on between two reads is still counted.
 */
export async function jobsIn(queues: Queues, stages: readonly StageName[], states: readonly JobType[]): Promise<number> {
  let total = 0;
  for (const stage of stages) {
    const counts = await queues[stage].getJobCounts(...states);
    for (const n of Object.values(counts)) total += n;
  }
  return total;
}

/**
 * Jobs of the stages before the rollup that are waiting or running: files on their way to the
 * warehouse. Delayed jobs (retries after a fault) do not hold the rollup back.
 */
export const filesInFlight = (queues: Queues) => jobsIn(queues, FILE_STAGES, ['waiting', 'active', 'prioritized']);

/** Jobs not yet finished across all stages. */
export const pendingJobs = (queues: Queues) => jobsIn(queues, STAGES, ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
