// SPEC §5: "If Redis loses its data, the next scan recovers from the drop root and the database."
// Three ways to lose it while a large file is in flight: every key of the deployment's queue prefix
// deleted (on the shared Redis: only this file's prefix); a private redis-server without
// persistence killed with SIGKILL and started again empty on the same port; and on a Redis Cluster
// with replicas, the master holding the queues killed, so that its replica (which may lag behind)
// takes over. Then `dstats run`: every file ends loaded exactly once or rejected, and the mart
// equals a clean run.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deletePrefixKeys,
  dropFiles,
  killStarted,
  largeSubmission,
  waitFor,
  waitForStageOf,
  useFaultFiles,
  usePrivateRedis,
} from '../helpers/faults.js';
import { expectRecoveredByRun, useDeployment, type Deployment } from '../helpers/deployment.js';
import { privateRedisCluster, type ClusterNode, type PrivateRedisCluster } from '../helpers/redis-cluster.js';
import { serverUrls } from '../helpers/services.js';

const large = largeSubmission({ rows: 200_000, values: 40_000 });
const { files, clean } = useFaultFiles([large]);
afterAll(() => killStarted());


/** After the fault: one more `dstats run`, every file once, the mart as a clean run, and no worker lost. */
async function expectRecovered(d: Deployment) {
  await expectRecoveredByRun(d, files, clean);
  for (const w of d.workers) expect(w.running(), `worker ${w.pid} still running:\n${w.output().slice(-2000)}`).toBe(true);
}

describe('every key of the queue prefix deleted mid-run', () => {
  const d = useDeployment('faults-redis-flush', { workers: 2 });

  it('the next run recovers from the drop root and the database', async () => {
    await dropFiles(d.root.dir, files);
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitForStageOf(d.database, large.name, 'normalise');
    // Only this deployment's keys: the shared Redis serves the other test files too.
    expect(await deletePrefixKeys(serverUrls().redisUrl, d.prefix)).toBeGreaterThan(0);
    await expectRecovered(d);
  });
});

describe('a Redis without persistence killed and restarted mid-run', () => {
  const redis = usePrivateRedis();
  const d = useDeployment('faults-redis-restart', { redisUrl: () => redis.server.url, workers: 2 });

  it('the workers reconnect and the next run recovers', async () => {
    await dropFiles(d.root.dir, files);
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitForStageOf(d.database, large.name, 'normalise');
    await redis.server.kill(); // SIGKILL: every queue, job and lock is gone
    await sleep(1000);
    await redis.server.start();
    await expectRecovered(d);
  });
});

describe('the master holding the queues killed, on a Redis Cluster with replicas', () => {
  const password = 'failover-secret-3';
  const prefix = '{dstats}'; // the default on a cluster; the cluster is this test's alone
  let cluster: PrivateRedisCluster;
  let owner: ClusterNode;
  beforeAll(async () => {
    // A master silent for a second is failed over (Redis's default waits 15 s).
    cluster = await privateRedisCluster({ password, replicas: 1, nodeTimeoutMs: 1_000 });
    owner = await cluster.ownerOf(prefix);
  }, 120_000);
  afterAll(() => cluster?.stop());
  // Every node, the one that will be killed first: a command started after the fault has to reach
  // the cluster through the others.
  const seeds = () => [owner, ...cluster.nodes.filter((node) => node !== owner)];
  const d = useDeployment('faults-redis-failover', {
    redisUrl: () => `redis://:${password}@${seeds().map((node) => `127.0.0.1:${node.port}`).join(',')}`,
    cluster: true,
    prefix,
    workers: 2,
  });

  it('its replica takes over, the workers follow it and the next run recovers', async () => {
    await dropFiles(d.root.dir, files);
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitForStageOf(d.database, large.name, 'normalise');
    await cluster.kill(owner);
    await waitFor('a replica serving the queues', async () => (await cluster.ownerOf(prefix)) !== owner, 30_000, 200);
    await expectRecovered(d);
  });
});
