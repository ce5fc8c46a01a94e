// small_files_per_s: many small ward files end to end through the BullMQ queues, once with this
// process's workers (runViaQueues, default concurrency) and once with two `dstats worker` child
// processes and `dstats run --no-workers`. Each gets its own fresh database and drop root and the
// same files.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { redisConnection } from '../jobs/connection.js';
import { closeQueues, createQueues } from '../jobs/queues.js';
import { runViaQueues } from '../jobs/run-via-queues.js';
import { startDstats, stopChild, type Child } from './children.js';
import type { BenchEnv } from './env.js';
import { smallFilePlan, wardFile, writeLines, type Universe } from './generate.js';
import { checkpoint, expectLoaded, type ScenarioResult } from './load.js';
import { Profile, recordSql } from './profile.js';

export const ROWS_PER_SMALL_FILE = 50;

export async function writeSmallFiles(env: BenchEnv, u: Universe, files: number): Promise<string> {
  const dir = await env.tempDir('small-files');
  for (let i = 0; i < files; i++) {
    const plan = smallFilePlan(u, i);
    await writeLines(path.join(dir, plan.ward, plan.name), wardFile(u, { period: plan.period, rows: ROWS_PER_SMALL_FILE, seed: i }));
  }
  return dir;
}

/**
 * Per stage: jobs completed and the time they were being processed (finishedOn − processedOn,
 * summed over jobs, so it exceeds the wall time when jobs run in parallel). Completed jobs are kept
 * (removeOnComplete keeps 5,000 per queue), so this is read after the run.
 */
export async function queueBusyTimes(redisUrl: string, prefix: string): Promise<Record<string, { jobs: number; busy_s: number; max_s: number }>> {
  const connection = redisConnection({ url: redisUrl, cluster: false });
  const queues = createQueues(connection, prefix);
  try {
    const out: Record<string, { jobs: number; busy_s: number; max_s: number }> = {};
    for (const [stage, queue] of Object.entries(queues)) {
      const jobs = await queue.getJobs(['completed', 'failed'], 0, -1);
      const spans = jobs.map((j) => ((j.finishedOn ?? 0) - (j.processedOn ?? 0)) / 1000).filter((s) => s >= 0);
      out[stage] = {
        jobs: jobs.length,
        busy_s: Math.round(spans.reduce((a, b) => a + b, 0) * 1000) / 1000,
        max_s: Math.round(Math.max(0, ...spans) * 1000) / 1000,
      };
    }
    return out;
  } finally {
    await closeQueues(queues);
    connection.disconnect();
  }
}

export async function benchSmallFilesInProcess(env: BenchEnv, files: number, source: string, progress: (s: string) => void): Promise<ScenarioResult> {
  const db = await env.freshDatabase('small');
  const root = await env.tempDir('small');
  const prefix = env.queuePrefix('small');
  const { ctx, database, config } = await env.context(db, { root, queuePrefix: prefix });
  try {
    await cp(source, path.join(root, 'inbox'), { recursive: true });
    progress(`small files: ${files} files × ${ROWS_PER_SMALL_FILE} rows through runViaQueues (in-process workers, concurrency ${config.concurrency})`);
    await checkpoint(database);
    const profile = new Profile();
    recordSql(profile);
    const t0 = performance.now();
    await runViaQueues(ctx, { startLocalWorkers: true }).finally(() => recordSql(null));
    const seconds = (performance.now() - t0) / 1000;
    await expectLoaded(database, files, files * ROWS_PER_SMALL_FILE);
    return {
      figures: { small_files_per_s: files / seconds, small_files_s: seconds, small_files: files },
      details: {
        concurrency: config.concurrency,
        rows_per_file: ROWS_PER_SMALL_FILE,
        stages: await queueBusyTimes(env.redisUrl, prefix),
        sql: profile.toJSON().sql,
        note: 'stages: jobs and summed processing time per queue (jobs overlap); sql: summed statement times at the pg client (statements overlap)',
      },
    };
  } finally {
    await database.close();
    await env.dropDatabase(db);
  }
}

export async function benchSmallFilesWorkers(env: BenchEnv, files: number, source: string, workers: number, progress: (s: string) => void): Promise<ScenarioResult> {
  const db = await env.freshDatabase(`workers${workers}`);
  const root = await env.tempDir(`workers${workers}`);
  const prefix = env.queuePrefix(`workers${workers}`);
  const children: Child[] = [];
  const { database } = await env.context(db, { root, queuePrefix: prefix });
  try {
    await cp(source, path.join(root, 'inbox'), { recursive: true });
    const childEnv = env.childEnv(db, { root, queuePrefix: prefix });
    progress(`small files: ${files} files through ${workers} \`dstats worker\` processes + \`dstats run --no-workers\``);
    await checkpoint(database);
    for (let i = 0; i < workers; i++) children.push(startDstats(['worker'], childEnv));
    await Promise.all(children.map((c) => c.lineMatching(/^dstats worker \d+: serving/)));
    const run = startDstats(['run', '--no-workers'], childEnv);
    children.push(run);
    // From the moment the run has enqueued its scan (after its own start-up) until it exits.
    const started = await run.lineMatching(/^dstats run: queues on Redis/, 600_000);
    const code = await run.exited;
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`bench: dstats run --no-workers exited ${code}:\n${run.output.slice(-20).join('\n')}`);
    await expectLoaded(database, files, files * ROWS_PER_SMALL_FILE);
    return {
      figures: { [`small_files_per_s_workers${workers}`]: files / seconds, [`small_files_workers${workers}_s`]: seconds },
      details: { workers, concurrency_per_worker: Number(process.env.DSTATS_CONCURRENCY ?? 4), stages: await queueBusyTimes(env.redisUrl, prefix) },
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await database.close();
    await env.dropDatabase(db);
  }
}
