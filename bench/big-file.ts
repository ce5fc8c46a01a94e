// peak_rss_mb: one `dstats worker` child process takes a ~1 GB long-format file end to end; its
// resident memory is polled, and its peak (VmHWM) read before it is stopped. Streaming should keep
// it flat: the figure should not grow with the file.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runViaQueues } from '../jobs/run-via-queues.js';
import { memoryOf, sampleMemory, startDstats, stopChild, type Child } from './children.js';
import type { BenchEnv } from './env.js';
import { departmentFile, keySpaceSize, NotePool, writeLines, type Universe } from './generate.js';
import { expectLoaded, LOAD_SOURCE, type ScenarioResult } from './load.js';

// A row without its note is about 80 bytes.
const ROW_BYTES_WITHOUT_NOTE = 80;

export async function benchBigFile(env: BenchEnv, u: Universe, targetBytes: number, progress: (s: string) => void): Promise<ScenarioResult> {
  const db = await env.freshDatabase('rss');
  const root = await env.tempDir('rss');
  const prefix = env.queuePrefix('rss');
  const { ctx, database } = await env.context(db, { root, queuePrefix: prefix });
  let worker: Child | null = null;
  try {
    // Every distinct key once; the rows carry notes so that the file reaches the target size.
    const rows = Math.min(keySpaceSize(u), Math.max(1, Math.floor(targetBytes / ROW_BYTES_WITHOUT_NOTE)));
    const noteBytes = targetBytes / rows - ROW_BYTES_WITHOUT_NOTE;
    const notes = noteBytes >= 20 ? new NotePool(noteBytes) : undefined;
    const file = path.join(root, 'inbox', LOAD_SOURCE, 'lich-su-so-lieu-co-ghi-chu.csv');
    const bytes = await writeLines(file, departmentFile(u, rows, { notes }));
    progress(`peak RSS: ${rows} rows, ${(bytes / 2 ** 20).toFixed(0)} MB, one \`dstats worker\` process`);

    worker = startDstats(['worker'], env.childEnv(db, { root, queuePrefix: prefix }));
    await worker.lineMatching(/^dstats worker \d+: serving/);
    const idle = await memoryOf(worker.pid);
    if (!idle) throw new Error('bench: cannot read /proc/<pid>/status (peak RSS needs Linux); run with --quick to skip it');
    const sampler = sampleMemory(worker.pid);
    const t0 = performance.now();
    // A line every 15 s, so a long run shows where it is and what the worker holds.
    const pid = worker.pid;
    const ticker = setInterval(() => {
      void (async () => {
        const m = await memoryOf(pid);
        const states = await database.db.selectFrom('core.submission').select('state').execute().catch(() => []);
        progress(`peak RSS: ${((performance.now() - t0) / 1000).toFixed(0)} s, worker RSS ${m?.rssMb.toFixed(0)} MB (peak ${m?.hwmMb.toFixed(0)} MB), submission ${states[0]?.state ?? 'not registered yet'}`);
      })();
    }, 15_000);
    try {
      await runViaQueues(ctx, { startLocalWorkers: false });
    } finally {
      clearInterval(ticker);
    }
    const seconds = (performance.now() - t0) / 1000;
    const memory = await sampler.stop();
    await expectLoaded(database, 1, rows);
    return {
      figures: {
        peak_rss_mb: memory.hwmMb,
        big_file_mb: bytes / 2 ** 20,
        big_file_s: seconds,
        worker_idle_rss_mb: idle.rssMb,
      },
      details: { rows, max_sampled_rss_mb: memory.maxRssMb, samples: memory.samples },
    };
  } finally {
    if (worker) await stopChild(worker);
    await database.close();
    await env.dropDatabase(db);
  }
}
