// `dstats worker`: serve the queues until SIGTERM/SIGINT, then stop taking jobs and let the jobs
// in flight finish before exiting.
import type { Session } from '../src/cli/session.js';
import { queueConnectionOf } from './connection.js';
import { closeQueueClients } from './close-clients.js';
import { createQueues, type StageName } from './queues.js';
import { startWorkers } from './workers.js';

export async function runWorkerProcess(session: Session, stages: StageName[]): Promise<void> {
  const { ctx, config } = session;
  const connection = queueConnectionOf(config)!;
  const queues = createQueues(connection, config.queuePrefix, ctx.log);
  const pool = startWorkers({ ctx, queues, connection, prefix: config.queuePrefix, stages });
  ctx.log.info({ stages, concurrency: config.concurrency, pid: process.pid }, 'worker started');
  process.stdout.write(`dstats worker ${process.pid}: serving ${stages.join(', ')} (concurrency ${config.concurrency})\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.log.info({ signal }, 'draining in-flight jobs');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await closeQueueClients({ connection, queues, pool, log: ctx.log });
  await session.close();
  ctx.log.info('worker stopped');
}
