// A Redis outage as the operator of `dstats worker` sees it (jobs/redis-trouble.ts,
// jobs/close-clients.ts): a few log lines instead of a stack per failed reconnect, and a worker
// stopped during the outage finishes its job's own work, then exits instead of waiting for Redis.
// A private redis-server, killed and started again on its port.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dropFiles,
  killStarted,
  largeSubmission,
  startWorker,
  submissions,
  useFaultFiles,
  usePrivateRedis,
  waitFor,
  waitForStageOf,
  type Proc,
} from '../helpers/faults.js';
import { expectRecoveredByRun, useDeployment } from '../helpers/deployment.js';

const large = largeSubmission({ rows: 200_000, values: 40_000 });
const { files, clean } = useFaultFiles([large]);
afterAll(() => killStarted());

/** The worker's stderr as log records: every line must be one (no bare stack on stderr). */
function logOf(worker: Proc): { level: number; msg: string }[] {
  return worker
    .stderr()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as { level: number; msg: string };
      } catch {
        throw new Error(`not a log record on the worker's stderr: ${line}\n${worker.stderr().slice(-3000)}`);
      }
    });
}


describe('Redis away for a few seconds under an idle worker', () => {
  const redis = usePrivateRedis();
  const d = useDeployment('redis-outage-idle', { redisUrl: () => redis.server.url, workers: 1 });

  it('is told in two lines, and the worker serves again', async () => {
    const [worker] = d.workers as [Proc];
    await redis.server.kill();
    // ioredis retries each of the worker's connections every 50 ms at first, up to every 2 s.
    await sleep(4_000);
    await redis.server.start();
    await worker.waitForOutput('redis reachable again', 20_000);
    const log = logOf(worker);
    const told = log.filter((l) => l.msg.startsWith('redis'));
    // A connection whose attempt was under way as Redis came back may fail once more after it.
    expect(told.length, JSON.stringify(told)).toBeLessThanOrEqual(4);
    expect(told[0]).toMatchObject({ level: 40, msg: 'redis unreachable: jobs wait until it is back' });
    expect(told.some((l) => l.msg === 'redis reachable again')).toBe(true);
    expect(log.filter((l) => l.level >= 50)).toEqual([]);

    await dropFiles(d.root.dir, files);
    await expectRecoveredByRun(d, files, clean);
    expect(worker.running()).toBe(true);
  });
});

describe('a worker stopped while Redis is away', () => {
  const redis = usePrivateRedis();
  const d = useDeployment('redis-outage-stop', { redisUrl: () => redis.server.url, workers: 1 });

  it("finishes its job's own work, exits without Redis, and the next run recovers", async () => {
    const [worker] = d.workers as [Proc];
    await dropFiles(d.root.dir, files);
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitForStageOf(d.database, large.name, 'normalise');
    await redis.server.kill();
    worker.child.kill('SIGTERM');
    const whenStopped = (await submissions(d.database)).find((s) => s.file_name === large.name)!.state;
    const exit = await worker.exited;
    expect(exit.code, worker.stderr().slice(-3000)).toBe(0);
    // It was normalising when it was told to stop, and stopped only once that was done.
    expect(whenStopped).toBe('received');
    expect((await submissions(d.database)).find((s) => s.file_name === large.name)!.state).toBe('staged');
    expect(logOf(worker).map((l) => l.msg)).toContain('redis unreachable: stopping without closing the queues; jobs taken come back when their locks expire');

    await redis.server.start();
    await waitFor('the test\u2019s own queue connection back', () => d.connection.status === 'ready', 20_000, 100);
    d.workers.push(await startWorker(d.env));
    await expectRecoveredByRun(d, files, clean);
  });
});
