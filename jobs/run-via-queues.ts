// `dstats run` with Redis: enqueue a scan, let workers (this process's and any `dstats worker`)
// do the work, and return when every queue is empty.
import { setTimeout as sleep } from 'node:timers/promises';
import type { StageContext } from '../src/pipeline/context.js';
import { redisConnection } from './connection.js';
import { closeQueues, createQueues, pendingJobs } from './queues.js';
import { startWorkers } from './workers.js';

export async function runViaQueues(ctx: StageContext, options: { redisUrl: string; startLocalWorkers: boolean; pollMs?: number }): Promise<void> {
  const connection = redisConnection(options.redisUrl);
  const queues = createQueues(connection, ctx.config.queuePrefix);
  const pool = options.startLocalWorkers ? startWorkers({ ctx, queues, connection, prefix: ctx.config.queuePrefix }) : null;
  try {
    const scan = await queues.scan.add('scan', {});
    const pollMs = options.pollMs ?? 100;
    // Wait for the scan itself, then for everything it set off.
    for (;;) {
      const state = await scan.getState();
      if (state === 'completed' || state === 'failed' || state === 'unknown') break;
      await sleep(pollMs);
    }
    let idleChecks = 0;
    // Two consecutive empty readings: a job finishing may be about to add the next one.
    while (idleChecks < 2) {
      idleChecks = (await pendingJobs(queues)) === 0 ? idleChecks + 1 : 0;
      await sleep(pollMs);
    }
  } finally {
    await pool?.close();
    await closeQueues(queues);
    connection.disconnect();
  }
}
