// `dstats scheduler`: node-cron fires the nightly pass in every replica; the replica that claims
// the slot in Postgres runs it, so several replicas on several hosts give exactly one run per slot,
// and a slot whose replica stopped half-way is taken over (src/schedule/slot-runner.ts).
import cron from 'node-cron';
import type { Session } from '../src/cli/session.js';
import { slotRunner } from '../src/schedule/slot-runner.js';
import { triggerFor } from '../src/schedule/trigger.js';
import { queueConnectionOf } from './connection.js';
import { closeQueueClients } from './close-clients.js';
import { createQueues } from './queues.js';

export const NIGHTLY = 'nightly';

export async function runSchedulerProcess(session: Session): Promise<void> {
  const { ctx, config } = session;
  const connection = queueConnectionOf(config);
  const queues = connection ? createQueues(connection, config.queuePrefix, ctx.log) : null;
  const trigger = triggerFor(ctx, queues);
  const runner = slotRunner({ database: ctx.database, schedule: NIGHTLY, trigger, recheckMs: config.slotRecheckMs, log: ctx.log });

  const task = cron.schedule(
    config.nightlyCron,
    ({ date }) => {
      const slot = new Date(Math.floor(date.getTime() / 1000) * 1000); // the scheduled instant
      void runner.fire(slot);
    },
    { timezone: config.timezone, name: NIGHTLY },
  );
  process.stdout.write(`dstats scheduler ${process.pid}: "${config.nightlyCron}" in ${config.timezone}, ${queues ? 'through the queues' : 'in this process'}\n`);
  runner.resumeLatest().catch((error) => ctx.log.error({ err: error }, `could not look for an unfinished ${NIGHTLY} run`));

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await task.stop();
  await runner.stop();
  if (connection && queues) await closeQueueClients({ connection, queues, log: ctx.log });
  await session.close();
}
