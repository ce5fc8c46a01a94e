// `dstats run` with Redis: enqueue a scan, let workers (this process's and any `dstats worker`)
// do the work, and return when every queue is empty.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { StageContext } from '../src/pipeline/context.js';
import type { ProgressListener, RunProgress } from '../src/pipeline/progress.js';
import { queueConnectionOf } from './connection.js';
import { closeQueues, createQueues, pendingJobs } from './queues.js';
import { startWorkers } from './workers.js';

export async function runViaQueues(
  ctx: StageContext,
  options: { startLocalWorkers: boolean; pollMs?: number; onProgress?: ProgressListener },
): Promise<void> {
  const started = (await sql<{ now: Date }>`SELECT now() AS now`.execute(ctx.database.db)).rows[0]!.now;
  const connection = queueConnectionOf(ctx.config);
  if (!connection) throw new Error('runViaQueues: the configuration has no REDIS_URL');
  const queues = createQueues(connection, ctx.config.queuePrefix, ctx.log);
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
    const total = Number((await queues.scan.getJob(scan.id!))?.returnvalue?.files ?? 0);
    let idleChecks = 0;
    // Two consecutive empty readings: a job finishing may be about to add the next one.
    while (idleChecks < 2) {
      idleChecks = (await pendingJobs(queues)) === 0 ? idleChecks + 1 : 0;
      if (options.onProgress) options.onProgress(await progressSince(ctx, started, total));
      await sleep(pollMs);
    }
  } finally {
    await pool?.close();
    await closeQueues(queues);
    connection.disconnect();
  }
}

async function progressSince(ctx: StageContext, since: Date, total: number): Promise<RunProgress> {
  const row = await ctx.database.db
    .selectFrom('core.submission')
    .select((eb) => [
      eb.fn.count<string>('submission_id').filterWhere('state', 'in', ['loaded', 'rejected', 'duplicate']).as('done'),
      eb.fn.count<string>('submission_id').filterWhere('state', '=', 'rejected').as('rejected'),
      eb.fn.coalesce(eb.fn.sum<string>('rows_read'), eb.val('0')).as('rows'),
    ])
    .where('received_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { total: Math.max(total, Number(row.done)), done: Number(row.done), rows: Number(row.rows), rejected: Number(row.rejected) };
}
