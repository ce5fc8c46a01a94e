// The BullMQ job of a submission (job ids are random; deduplication keys are per submission).
import type { Queue } from 'bullmq';

export async function jobOf(queue: Queue, submissionId: string) {
  const jobs = await queue.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized']);
  return jobs.filter((j) => j.data.submissionId === submissionId).sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))[0];
}
