// Redis connections for BullMQ: one Redis, or a Redis Cluster reached through the nodes REDIS_URL names.
// Workers need maxRetriesPerRequest: null (blocking commands).
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { describeServerUrl, redisTargetOf, type Config, type RedisTarget } from '../src/config.js';
import { connectionFailure, DstatsError } from '../src/errors.js';
import { parseRedisUrl } from '../src/redis-url.js';

export type RedisClient = Redis | Cluster;

const QUEUE_OPTIONS: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };

// The cluster client connects to every node it learns of with the same options, so the URL's
// credentials and TLS go to all of them, not only to the nodes named.
function clusterOf(url: string, options: ClusterOptions): Cluster {
  const { nodes, username, password, tls } = parseRedisUrl(url)!;
  return new Cluster(nodes, { ...options, redisOptions: { username, password, tls: tls ? {} : undefined, ...options.redisOptions } });
}

export function redisConnection(target: RedisTarget): RedisClient {
  return target.cluster ? clusterOf(target.url, { redisOptions: QUEUE_OPTIONS }) : new Redis(target.url, QUEUE_OPTIONS);
}

/** The queues' connection of a configuration; null without REDIS_URL (the stages run in-process). */
export function queueConnectionOf(config: Pick<Config, 'redisUrl' | 'redisCluster'>): RedisClient | null {
  const target = redisTargetOf(config);
  return target ? redisConnection(target) : null;
}

/**
 * A single connection attempt with a ping, no retries: the queues' own connections retry forever
 * (right for a worker riding out a Redis restart), so a command started against a wrong URL or a
 * stopped server would otherwise wait without end. A cluster node named without
 * DSTATS_REDIS_CLUSTER, or the reverse, is said here too: the queues would otherwise fail on
 * their first command with a bare MOVED, or retry a refused slot map without end.
 */
export async function assertRedisReachable(target: RedisTarget, timeoutMs = 5_000): Promise<void> {
  const where = describeServerUrl(target.url, 'REDIS_URL');
  await (target.cluster ? probeCluster : probeSingle)(target.url, where, timeoutMs);
}

async function probeSingle(url: string, where: string, timeoutMs: number): Promise<void> {
  const probe = new Redis(url, { connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true, enableOfflineQueue: false });
  // connect() rejects with "Connection is closed."; the socket's own error says why.
  let cause: unknown;
  probe.on('error', (error) => (cause ??= error));
  let clusterNode = false;
  try {
    await probe.connect();
    await probe.ping();
    // A server that refuses INFO (some hosted ones rename it) is taken for a single Redis.
    clusterNode = /^cluster_enabled:1/m.test(await probe.info('cluster').catch(() => ''));
  } catch (error) {
    throw new DstatsError('REDIS_UNREACHABLE', { target: where, detail: connectionFailure(cause ?? error) });
  } finally {
    probe.disconnect();
  }
  if (clusterNode) throw new DstatsError('REDIS_IS_CLUSTER', { target: where });
}

async function probeCluster(url: string, where: string, timeoutMs: number): Promise<void> {
  const probe = clusterOf(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: () => null,
    redisOptions: { connectTimeout: timeoutMs, maxRetriesPerRequest: 0 },
  });
  // The cluster client's own error only says that no node answered; the node's error says why.
  let cause: unknown;
  probe.on('error', (error: Error & { lastNodeError?: Error }) => (cause ??= error.lastNodeError ?? error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const detail = connectionFailure(cause ?? error);
    throw new DstatsError(/cluster support disabled/i.test(detail) ? 'REDIS_NOT_CLUSTER' : 'REDIS_UNREACHABLE', { target: where, detail });
  } finally {
    probe.disconnect();
  }
}
