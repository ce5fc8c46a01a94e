// A throw-away Redis Cluster for the tests: three redis-server masters (and, if asked, a replica of
// each) without persistence on free ports, with a password, joined by `redis-cli --cluster create`
// (Redis's own tool), and removed afterwards.
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
  /** Kills a node with SIGKILL, as a crashed host would vanish. */
  kill(node: ClusterNode): Promise<void>;
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

/**
 * `replicas`: replicas per master (the nodes after the masters); `nodeTimeoutMs`: how long a master
 * may be silent before its replica takes over (Redis's default is 15 s).
 */
export async function privateRedisCluster(options: { password: string; masters?: number; replicas?: number; nodeTimeoutMs?: number }): Promise<PrivateRedisCluster> {
  const { password, masters = 3, replicas = 0, nodeTimeoutMs = 15_000 } = options;
  const size = masters * (1 + replicas);
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
         '--requirepass', password, '--masterauth', password, '--cluster-node-timeout', String(nodeTimeoutMs)],
        process.env,
      );
      servers.push(server);
      await server.waitForOutput('Ready to accept connections', 20_000);
      nodes.push({ port, url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}` });
    }
    await run('redis-cli', ['-a', password, '--no-auth-warning', '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { timeout: 60_000 });
    for (const node of nodes) {
      await waitFor(`cluster_state:ok on ${node.url}`, () => onNode(node, async (r) => /cluster_state:ok/.test(String(await r.call('CLUSTER', 'INFO')))), 30_000, 100);
      // A replica can only take over once it has a copy of its master.
      await waitFor(`a synced replica or a master at ${node.url}`, () => onNode(node, async (r) => /role:master|master_link_status:up/.test(await r.info('replication'))), 30_000, 100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const alive = () => nodes.find((node) => servers[nodes.indexOf(node)]!.running())!;
  return {
    nodes,
    async ownerOf(key) {
      return onNode(alive(), async (redis) => {
        const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', key));
        const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        const owner = ranges.find(([first, last]) => first <= slot && slot <= last)![2];
        return nodes.find((n) => n.port === Number(owner[1]))!;
      });
    },
    keyCounts: () => Promise.all(nodes.map((node) => onNode(node, (redis) => redis.dbsize()))),
    keysOf: (node) => onNode(node, (redis) => redis.keys('*')),
    async kill(node) {
      await servers[nodes.indexOf(node)]!.stop('SIGKILL', 5000);
    },
    stop,
  };
}
