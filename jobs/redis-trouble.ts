// How a process logs its Redis connection going away. While Redis is down, each queue and worker
// of a process reports every failed reconnect: measured, a worker process wrote 16 log lines a
// second with their stacks, and 9 more stacks a second on raw stderr from queues without an error
// listener. An operator needs one line when Redis goes, one a minute while it stays away, and one
// when it is back; errors of any other kind are logged each time, as they come.
import type { Logger } from 'pino';
import type { RedisClient } from './connection.js';

export const REMIND_EVERY_MS = 60_000;

// Socket errors, a cluster without a usable node, and a server not ready yet (restart, failover).
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
const CONNECTION_MESSAGES = /^(Connection is closed|Failed to refresh slots cache|None of startup nodes is available|CLUSTERDOWN|LOADING|MASTERDOWN|TRYAGAIN)/;

export function isConnectionError(error: Error): boolean {
  const { code } = error as Error & { code?: unknown };
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.test(error.message);
}

export type RedisErrorListener = (error: Error, emitter: string) => void;

/** One process's account of its Redis connection: the first failure, a reminder a minute, the return. */
export class RedisTrouble {
  private downSince: number | null = null;
  private lastLine = 0;
  private failures = 0;

  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  report(error: Error, emitter: string): void {
    if (!isConnectionError(error)) {
      this.log.error({ err: error, emitter }, 'redis error');
      return;
    }
    const t = this.now();
    const reason = error.message;
    if (this.downSince === null) {
      this.downSince = t;
      this.lastLine = t;
      this.failures = 0;
      this.log.warn({ reason, emitter }, 'redis unreachable: jobs wait, the connection is retried');
      return;
    }
    this.failures += 1;
    if (t - this.lastLine >= REMIND_EVERY_MS) {
      this.lastLine = t;
      this.log.warn({ reason, downForS: Math.round((t - this.downSince) / 1000), failedAttempts: this.failures }, 'redis still unreachable');
      this.failures = 0;
    }
  }

  reconnected(): void {
    if (this.downSince === null) return;
    this.log.info({ downForS: Math.round((this.now() - this.downSince) / 1000) }, 'redis reachable again');
    this.downSince = null;
  }
}

const byConnection = new WeakMap<RedisClient, RedisTrouble>();

/**
 * The error listener for the queues and workers of one connection: they share it, so an outage
 * is one story per process. Its end is the connection's own reconnect ('ready'); the workers'
 * blocking connections are copies of it and reconnect at about the same time.
 */
export function redisErrorListener(log: Logger, connection: RedisClient, now: () => number = Date.now): RedisErrorListener {
  let trouble = byConnection.get(connection);
  if (!trouble) {
    const created = new RedisTrouble(log, now);
    connection.on('ready', () => created.reconnected());
    byConnection.set(connection, created);
    trouble = created;
  }
  const found = trouble;
  return (error, emitter) => found.report(error, emitter);
}
