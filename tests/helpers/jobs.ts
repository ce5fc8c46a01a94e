// BullMQ helpers of the tests: the job of a submission, and a run that stops before the rollup.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Queues } from '../../jobs/queues.js';
import { startWorkers } from '../../jobs/workers.js';
import type { StageContext } from '../../src/pipeline/context.js';

/** The latest job of a submission (job ids are random; deduplication keys are per submission). */
export async function jobOf(queue: Queue, submissionId: string) {
  const jobs = await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized']);
  return jobs.filter((j) => j.data.submissionId === submissionId).sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))[0];
}

/**
 * A scan, then intake, normalise and load with no rollup worker, until those queues are empty: the
 * loads leave their rollup job queued.
 */
export async function runUpToLoad(options: { ctx: StageContext; queues: Queues; connection: Redis; prefix: string }): Promise<void> {
  const { queues } = options;
  const early = startWorkers({ ...options, stages: ['scan', 'intake', 'normalise', 'load'] });
  try {
    await queues.scan.add('scan', {});
    for (;;) {
      const counts = await Promise.all([queues.scan, queues.intake, queues.normalise, queues.load].map((q) => q.getJobCounts('waiting', 'active', 'delayed')));
      if (counts.every((c) => (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0)) break;
      await sleep(50);
    }
  } finally {
    await early.close();
  }
}
