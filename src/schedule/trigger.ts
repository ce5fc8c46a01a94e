// Starting a pass over the drop root from a schedule or a watcher: through the queues when Redis
// is configured (a scan job; workers do the rest), else in this process, one pass at a time.
import type { Queues } from '../../jobs/queues.js';
import { describeServerUrl } from '../config.js';
import { DstatsError } from '../errors.js';
import type { StageContext } from '../pipeline/context.js';
import { runInProcess } from '../pipeline/run-in-process.js';
import { within } from '../within.js';

export interface Trigger {
  /** Starts a pass; `jobId` makes it happen once across replicas (a BullMQ job id). */
  pass(reason: string, jobId?: string): Promise<{ files?: number }>;
}

/**
 * How long a pass waits for Redis to take its scan job. The queue's connection waits for Redis
 * without end, which would keep a scheduler cut off from Redis holding its slot, and unable to
 * stop: it gives the slot up instead, for a replica that reaches Redis (slot-runner.ts).
 */
const ENQUEUE_TIMEOUT_MS = 5000;

/** Through the queues when the process has them (REDIS_URL), else in this process. */
export function triggerFor(ctx: StageContext, queues: Queues | null): Trigger {
  return queues ? queueTrigger(queues, describeServerUrl(ctx.config.redisUrl!, 'REDIS_URL')) : inProcessTrigger(ctx);
}

/** `redis`: REDIS_URL as messages may show it. */
function queueTrigger(queues: Queues, redis: string): Trigger {
  return {
    async pass(reason, jobId) {
      // Without a job id (watcher), one scan waits at most while another runs.
      const options = jobId ? { jobId } : { deduplication: { id: 'scan-on-arrival', keepLastIfActive: true } };
      await within(queues.scan.add('scan', { reason }, options), ENQUEUE_TIMEOUT_MS).catch((error: Error) => {
        throw new DstatsError('REDIS_UNREACHABLE', { target: redis, detail: `the scan job was not queued: ${error.message}` });
      });
      return {};
    },
  };
}

function inProcessTrigger(ctx: StageContext): Trigger {
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
