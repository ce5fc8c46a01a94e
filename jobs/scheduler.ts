// `dstats scheduler`: node-cron fires the nightly pass in every replica; the replica that claims
// the slot in Postgres runs it, so several replicas on several hosts give exactly one run per slot.
import cron from 'node-cron';
import type { Session } from '../src/cli/session.js';
import { claimSlot, finishSlot } from '../src/schedule/slots.js';
import { inProcessTrigger, queueTrigger, type Trigger } from '../src/schedule/trigger.js';
import { queueConnectionOf } from './connection.js';
import { closeQueues, createQueues } from './queues.js';

export const NIGHTLY = 'nightly';

export async function runSchedulerProcess(session: Session): Promise<void> {
  const { ctx, config } = session;
  const connection = queueConnectionOf(config);
  const queues = connection ? createQueues(connection, config.queuePrefix) : null;
  const trigger: Trigger = queues ? queueTrigger(queues) : inProcessTrigger(ctx);

  const task = cron.schedule(
    config.nightlyCron,
    async ({ date }) => {
      const slot = new Date(Math.floor(date.getTime() / 1000) * 1000); // the scheduled instant
      try {
        if (!(await claimSlot(ctx.database.db, NIGHTLY, slot))) return; // another replica has it
        ctx.log.info({ slot: slot.toISOString() }, 'nightly run claimed');
        const result = await trigger.pass(NIGHTLY, `nightly-${slot.getTime()}`);
        await finishSlot(ctx.database.db, NIGHTLY, slot, result.files ?? 0);
      } catch (error) {
        ctx.log.error({ err: error, slot: slot.toISOString() }, 'nightly run failed');
      }
    },
    { timezone: config.timezone, name: NIGHTLY, noOverlap: true },
  );
  process.stdout.write(`dstats scheduler ${process.pid}: "${config.nightlyCron}" in ${config.timezone}, ${queues ? 'through the queues' : 'in this process'}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await task.stop();
  if (queues) await closeQueues(queues);
  connection?.disconnect();
  await session.close();
}
