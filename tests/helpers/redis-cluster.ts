// A throw-away Redis Cluster for the tests: three redis-server masters without persistence on free
// ports, with a password, joined by `redis-cli --cluster create` (Redis's own tool), and removed
// afterwards.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { cleanup, freePort, startProcess, waitFor, type Proc } from './faults.js';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  url: string;
}

export interface PrivateRedisCluster {
  nodes: ClusterNode[];
  /** The master serving `key`'s slot. */
  ownerOf(key: string): Promise<ClusterNode>;
  /** How many keys each node holds, in the order of `nodes`. */
  keyCounts(): Promise<number[]>;
  /** Every key of one node. */
  keysOf(node: ClusterNode): Promise<string[]>;
  stop(): Promise<void>;
}

async function onNode<T>(node: ClusterNode, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(node.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

export async function privateRedisCluster(options: { password: string; size?: number }): Promise<PrivateRedisCluster> {
  const { password, size = 3 } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dstats-redis-cluster-'));
  const servers: Proc[] = [];
  const nodes: ClusterNode[] = [];
  const stop = () =>
    cleanup(
      ...servers.map((server) => () => server.stop('SIGKILL', 5000)),
      () => rm(dir, { recursive: true, force: true }),
    );
  try {
    for (let i = 0; i < size; i++) {
      // The cluster bus port is chosen too: the default, port + 10000, may not exist.
      const [port, busPort] = [await freePort(), await freePort()];
      const server = startProcess(
        'redis-server',
        ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
         '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no',
         '--requirepass', password, '--masterauth', password],
        process.env,
      );
      servers.push(server);
      await server.waitForOutput('Ready to accept connections', 20_000);
      nodes.push({ port, url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}` });
    }
    await run('redis-cli', ['-a', password, '--no-auth-warning', '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
    for (const node of nodes) {
      await waitFor(`cluster_state:ok on ${node.url}`, () => onNode(node, async (r) => /cluster_state:ok/.test(String(await r.call('CLUSTER', 'INFO')))), 30_000, 100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    async ownerOf(key) {
      return onNode(nodes[0]!, async (redis) => {
        const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', key));
        const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        const owner = ranges.find(([first, last]) => first <= slot && slot <= last)![2];
        return nodes.find((n) => n.port === Number(owner[1]))!;
      });
    },
    keyCounts: () => Promise.all(nodes.map((node) => onNode(node, (redis) => redis.dbsize()))),
    keysOf: (node) => onNode(node, (redis) => redis.keys('*')),
    stop,
  };
}
