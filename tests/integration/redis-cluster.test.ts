// docs/performance.md: when one Redis is not enough, the queues move to a Redis Cluster with a
// hash-tagged prefix. Workers and `dstats run` reach the cluster through any one node
// (DSTATS_REDIS_CLUSTER), with the password of REDIS_URL on every node, and follow its slots; a
// node named without the setting, or the setting with a plain Redis or an untagged prefix, is
// said before any work starts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { useDeployment } from '../helpers/deployment.js';
import { dropSamples } from '../helpers/drop-root.js';
import { freePort } from '../helpers/faults.js';
import { expectCityFiguresOfTwoSamples } from '../helpers/pipeline.js';
import { privateRedisCluster, type ClusterNode, type PrivateRedisCluster } from '../helpers/redis-cluster.js';
import { serverUrls } from '../helpers/services.js';

const PASSWORD = 'cluster-secret-7';
const PREFIX = `{dstats-test-${randomBytes(5).toString('hex')}}`;

function expectConfigurationError(result: CliResult, code: string) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toContain(`[${code}]`);
  expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain(PASSWORD);
}

describe('the queues on a Redis Cluster', () => {
  let cluster: PrivateRedisCluster;
  let owner: ClusterNode;
  let seed: ClusterNode;
  beforeAll(async () => {
    cluster = await privateRedisCluster({ password: PASSWORD });
    // Every command is sent to a node that does not serve the prefix's slot first: a client that
    // does not follow the cluster's redirections (MOVED) fails at once.
    owner = await cluster.ownerOf(PREFIX);
    seed = cluster.nodes.find((node) => node !== owner)!;
  }, 120_000);
  afterAll(() => cluster?.stop());
  const d = useDeployment('redis-cluster', { redisUrl: () => seed.url, cluster: true, prefix: PREFIX, workers: 2 });

  it('two worker processes load the files, and every key of the queues is in the slot of the prefix', async () => {
    await dropSamples(d.root.dir, ['164-NV', '164-TCKH']);
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Files loaded: 2');
    await expectCityFiguresOfTwoSamples(d.database);
    expect(d.workers.map((w) => w.output()).join('')).toContain('submission loaded');

    const counts = await cluster.keyCounts();
    const ownerIndex = cluster.nodes.indexOf(owner);
    expect(counts[ownerIndex]).toBeGreaterThan(0);
    expect(counts.filter((_, i) => i !== ownerIndex)).toEqual([0, 0]);
    for (const key of await cluster.keysOf(owner)) expect(key.startsWith(`${PREFIX}:`), key).toBe(true);

    const status = await runCli(['status'], d.env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/queue load: waiting 0 · active 0 · delayed 0 · failed 0/);
  });

  it('says which setting is wrong when REDIS_URL and DSTATS_REDIS_CLUSTER disagree, before any work', async () => {
    const { DSTATS_REDIS_CLUSTER: _, ...single } = d.env;
    expectConfigurationError(await runCli(['run', '--no-workers'], single), 'REDIS_IS_CLUSTER');
    expectConfigurationError(await runCli(['worker'], { ...d.env, REDIS_URL: serverUrls().redisUrl }), 'REDIS_NOT_CLUSTER');
    const untagged = await runCli(['run', '--no-workers'], { ...d.env, DSTATS_QUEUE_PREFIX: 'dstats' });
    expectConfigurationError(untagged, 'REDIS_CLUSTER_PREFIX');
    expect(untagged.stderr).toContain('{dstats}');
  });

  it('names a cluster node it cannot reach, without the password, and exits 3', async () => {
    const result = await runCli(['run', '--no-workers'], { ...d.env, REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${await freePort()}` });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('[REDIS_UNREACHABLE]');
    expect(result.stderr).toMatch(/ECONNREFUSED|Connection is closed/);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('SIGTERM drains the workers on the cluster and they exit 0', async () => {
    for (const worker of d.workers) expect((await worker.stop('SIGTERM')).code).toBe(0);
  });
});
