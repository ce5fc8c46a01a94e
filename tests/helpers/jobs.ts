// BullMQ helpers of the tests: a test file's own queues, the job of a submission, and a run that
// stops before the rollup.
import type { Queue } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import { redisConnection, type RedisClient } from '../../jobs/connection.js';
import { closeQueues, createQueues, FILE_STAGES, jobsIn, type Queues } from '../../jobs/queues.js';
import { startWorkers } from '../../jobs/workers.js';
import type { Config } from '../../src/config.js';
import type { StageContext } from '../../src/pipeline/context.js';
import { waitFor } from './faults.js';
import { useStageContext, type StageFixture } from './pipeline.js';
import { serverUrls, testQueuePrefix } from './services.js';

/** What useQueueContext gives a test file once its beforeAll ran. */
export interface QueueFixture extends StageFixture {
  redisUrl: string;
  prefix: string;
  connection: RedisClient;
  queues: Queues;
}

/** useStageContext, plus queues under a prefix of the test file's own on the test Redis. */
export function useQueueContext(label: string, config: Partial<Config> = {}): QueueFixture {
  const { redisUrl } = serverUrls();
  const prefix = testQueuePrefix();
  const fixture = useStageContext(label, { queuePrefix: prefix, redisUrl, ...config }) as QueueFixture;
  Object.assign(fixture, { redisUrl, prefix });
  beforeAll(() => {
    fixture.connection = redisConnection({ url: redisUrl, cluster: false });
    fixture.queues = createQueues(fixture.connection, prefix);
  });
  afterAll(async () => {
    await closeQueues(fixture.queues);
    fixture.connection.disconnect();
  });
  return fixture;
}

/** The latest job of a submission (job ids are random; deduplication keys are per submission). */
export async function jobOf(queue: Queue, submissionId: string) {
  const jobs = await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized']);
  return jobs.filter((j) => j.data.submissionId === submissionId).sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))[0];
}

/**
 * A scan, then intake, normalise and load with no rollup worker, until those queues are empty: the
 * loads leave their rollup job queued.
 */
export async function runUpToLoad(options: { ctx: StageContext; queues: Queues; connection: RedisClient; prefix: string }): Promise<void> {
  const { queues } = options;
  const early = startWorkers({ ...options, stages: FILE_STAGES });
  try {
    await queues.scan.add('scan', {});
    // Retries waiting out their backoff count too: every file must have got through.
    await waitFor('scan to load to finish', async () => (await jobsIn(queues, FILE_STAGES, ['waiting', 'active', 'delayed', 'prioritized'])) === 0, 60_000);
  } finally {
    await early.close();
  }
}
