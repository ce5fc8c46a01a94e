// Starting a pass over the drop root from a schedule or a watcher: through the queues when Redis
// is configured (a scan job; workers do the rest), else in this process, one pass at a time.
import type { Queues } from '../../jobs/queues.js';
import type { StageContext } from '../pipeline/context.js';
import { runInProcess } from '../pipeline/run-in-process.js';

export interface Trigger {
  /** Starts a pass; `jobId` makes it happen once across replicas (a BullMQ job id). */
  pass(reason: string, jobId?: string): Promise<{ files?: number }>;
}

export function queueTrigger(queues: Queues): Trigger {
  return {
    async pass(reason, jobId) {
      // Without a job id (watcher), one scan waits at most while another runs.
      const options = jobId ? { jobId } : { deduplication: { id: 'scan-on-arrival', keepLastIfActive: true } };
      await queues.scan.add('scan', { reason }, options);
      return {};
    },
  };
}

export function inProcessTrigger(ctx: StageContext): Trigger {
  let running: Promise<{ files?: number }> | null = null;
  let again = false;
  const once = async (reason: string): Promise<{ files?: number }> => {
    ctx.log.info({ reason }, 'pass started');
    const outcome = await runInProcess(ctx);
    return { files: outcome.files };
  };
  return {
    async pass(reason) {
      if (running) {
        again = true; // coalesce: one more pass after the current one
        return running;
      }
      running = (async () => {
        let result = await once(reason);
        while (again) {
          again = false;
          result = await once(`${reason} (again)`);
        }
        return result;
      })().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
