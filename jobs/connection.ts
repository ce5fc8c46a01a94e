// Redis connections for BullMQ. Workers need maxRetriesPerRequest: null (blocking commands).
import { Redis } from 'ioredis';
import { describeServerUrl } from '../src/config.js';
import { connectionFailure, DstatsError } from '../src/errors.js';

export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * A single connection attempt with a ping, no retries: the queues' own connections retry forever
 * (right for a worker riding out a Redis restart), so a command started against a wrong URL or a
 * stopped server would otherwise wait without end.
 */
export async function assertRedisReachable(url: string, timeoutMs = 5_000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // connect() rejects with "Connection is closed."; the socket's own error says why.
  let cause: unknown;
  probe.on('error', (error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new DstatsError('REDIS_UNREACHABLE', { target: describeServerUrl(url, 'REDIS_URL'), detail: connectionFailure(cause ?? error) });
  } finally {
    probe.disconnect();
  }
}
