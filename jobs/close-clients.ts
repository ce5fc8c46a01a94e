// Closing a process's workers and queues on SIGTERM. BullMQ's close() lets the jobs in flight
// finish, then says goodbye to Redis, and it waits for Redis without end while Redis is away
// (taskforcesh/bullmq#4656): a worker stopped during an outage hung until it was killed. Once no
// job is doing its own work there is nothing left that needs Redis, so such a process stops
// without it; the jobs it had taken come back to the queue when their locks expire, as for a
// killed worker, or are found again by the next scan if Redis lost them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RedisClient } from './connection.js';
import { closeQueues, type Queues } from './queues.js';
import type { WorkerPool } from './workers.js';

export async function closeQueueClients(options: {
  connection: RedisClient;
  queues: Queues;
  pool?: WorkerPool | null;
  log: Logger;
  pollMs?: number;
}): Promise<void> {
  const { connection, queues, pool, log } = options;
  let closed = false;
  const closing = (async () => {
    await pool?.close();
    await closeQueues(queues);
  })().finally(() => (closed = true));
  try {
    while (!closed) {
      if ((pool?.jobsAtWork() ?? 0) === 0 && connection.status !== 'ready') {
        closing.catch(() => undefined); // still waiting on Redis; nobody is left to hear how it ends
        log.warn({ connection: connection.status }, 'redis unreachable: stopping without closing the queues; jobs taken come back when their locks expire');
        return;
      }
      await Promise.race([closing, sleep(options.pollMs ?? 200)]);
    }
  } finally {
    connection.disconnect();
  }
}
