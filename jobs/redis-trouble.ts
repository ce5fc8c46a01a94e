// The Redis errors of a process's queues and workers. Connection failures are one outage per
// process (outage-log.ts); any other Redis error is logged each time, with its stack. Without a
// listener, BullMQ prints each error of a queue as a bare stack on stderr.
import type { Logger } from 'pino';
import type { RedisClient } from './connection.js';
import { OutageLog } from './outage-log.js';

// Socket errors, a cluster without a usable node, and a server not ready yet (restart, failover).
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
const CONNECTION_MESSAGES = /^(Connection is closed|Failed to refresh slots cache|None of startup nodes is available|CLUSTERDOWN|LOADING|MASTERDOWN|TRYAGAIN)/;

export function isConnectionError(error: Error): boolean {
  const { code } = error as Error & { code?: unknown };
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.test(error.message);
}

export type RedisErrorListener = (error: Error, emitter: string) => void;

const byConnection = new WeakMap<RedisClient, OutageLog>();

/**
 * The error listener for the queues and workers of one connection: they share it, so an outage
 * is one story per process. Its end is the connection's own reconnect ('ready'); the workers'
 * blocking connections are copies of it and reconnect at about the same time.
 */
export function redisErrorListener(log: Logger, connection: RedisClient, now: () => number = Date.now): RedisErrorListener {
  let outage = byConnection.get(connection);
  if (!outage) {
    const created = new OutageLog('redis', log, now);
    connection.on('ready', () => created.recovered());
    byConnection.set(connection, created);
    outage = created;
  }
  const found = outage;
  return (error, emitter) => {
    if (isConnectionError(error)) found.failed(error.message, emitter);
    else log.error({ err: error, emitter }, 'redis error');
  };
}
