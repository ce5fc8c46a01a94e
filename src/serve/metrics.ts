// /metrics in the Prometheus text format. Values are read from Postgres and Redis at scrape time, so
// every `dstats serve` reports the same figures however many workers run elsewhere.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/connect.js';
import type { SubmissionState } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { Queues } from '../../jobs/queues.js';
import { within } from '../within.js';

const STATES: SubmissionState[] = ['received', 'staged', 'loaded', 'rejected', 'duplicate', 'withdrawn'];
const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const RECENT_JOBS = 100; // completed jobs read per queue and scrape for the duration histogram
const REDIS_TIMEOUT_MS = 3000;

export interface Metrics {
  contentType: string;
  render(): Promise<string>;
}

export function createMetrics(options: { database: Database; queues?: Queues; log: Logger }): Metrics {
  // A registry per server: tests and embedders may run several servers in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const submissions = new Gauge({ name: 'dstats_submissions_total', help: 'Submissions (files that reached intake) by current state.', labelNames: ['state'], registers });
  const rowsRead = new Counter({ name: 'dstats_rows_read_total', help: 'Data rows read from submitted files.', registers });
  const valuesLoaded = new Counter({ name: 'dstats_values_loaded_total', help: 'Values loaded as observations.', registers });
  const rejections = new Counter({ name: 'dstats_rejections_total', help: 'Submissions rejected.', registers });
  const queueJobs = new Gauge({ name: 'dstats_queue_jobs', help: 'BullMQ jobs by queue and state.', labelNames: ['queue', 'state'], registers });
  const stageDuration = new Histogram({
    name: 'dstats_stage_duration_seconds',
    help: 'Processing time of completed pipeline jobs (finishedOn - processedOn), by queue; fed from recently completed jobs at scrape time.',
    labelNames: ['queue'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  // Completed jobs already observed, so a job counts once however often it is scraped.
  const seen = new Set<string>();

  /** Counters are totals kept in the database: set them by resetting and adding the current total. */
  const setCounter = (counter: Counter, value: number) => {
    counter.reset();
    counter.inc(value);
  };

  async function readDatabase() {
    const rows = await options.database.db
      .selectFrom('core.submission')
      .select((eb) => [
        'state',
        eb.fn.countAll<string>().as('n'),
        eb.fn.coalesce(eb.fn.sum<string>('rows_read'), eb.lit(0)).as('rows_read'),
        eb.fn.coalesce(eb.fn.sum<string>('values_loaded'), eb.lit(0)).as('values_loaded'),
      ])
      .groupBy('state')
      .execute();
    submissions.reset();
    for (const state of STATES) submissions.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
    setCounter(rowsRead, rows.reduce((sum, r) => sum + Number(r.rows_read), 0));
    setCounter(valuesLoaded, rows.reduce((sum, r) => sum + Number(r.values_loaded), 0));
    setCounter(rejections, Number(rows.find((r) => r.state === 'rejected')?.n ?? 0));
  }

  async function readQueues(queues: Queues) {
    queueJobs.reset();
    await Promise.all(
      Object.entries(queues).map(async ([name, queue]) => {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) queueJobs.set({ queue: name, state }, counts[state] ?? 0);
        for (const job of await queue.getJobs(['completed'], 0, RECENT_JOBS - 1)) {
          const key = `${name}/${job.id}/${job.finishedOn}`;
          if (!job.finishedOn || !job.processedOn || seen.has(key)) continue;
          seen.add(key);
          stageDuration.observe({ queue: name }, (job.finishedOn - job.processedOn) / 1000);
        }
      }),
    );
    // Keep the memory of seen jobs bounded: forget the oldest (Sets iterate in insertion order).
    for (const key of seen) {
      if (seen.size <= 20 * RECENT_JOBS) break;
      seen.delete(key);
    }
  }

  return {
    contentType: registry.contentType,
    async render() {
      await readDatabase();
      if (options.queues) {
        // Redis down: still serve the database figures, without queue series.
        await within(readQueues(options.queues), REDIS_TIMEOUT_MS).catch((error: Error) => {
          queueJobs.reset();
          options.log.warn({ err: error.message }, 'metrics: queue figures unavailable');
        });
      }
      return registry.metrics();
    },
  };
}
