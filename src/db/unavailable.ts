// A database that cannot be reached now (stopped, restarting, failing over, out of connections),
// as opposed to one that dropped a connection under a query or refused a statement. Jobs wait for
// the first kind (jobs/workers.ts) instead of using up their retries: a Postgres restart or a
// failover of a minute would otherwise end every file in flight as PROCESSING_FAILED.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Database } from './connect.js';

// Could not open a connection: refused, no route, name not resolved, timed out.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);
// The server answered but takes no session now: cannot_connect_now (starting up, shutting down,
// in recovery), too_many_connections, and the client-side connection failures of class 08.
const SERVER_CODES = new Set(['57P03', '53300', '08001', '08004', '08006']);

export function isDatabaseUnavailable(error: unknown): boolean {
  const errors = error instanceof AggregateError ? [error, ...error.errors] : [error];
  return errors.some((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code));
  });
}

/**
 * Resolves once the database answers a query, asking every `everyMs` (doubling up to `maxEveryMs`);
 * rejects with the signal's reason when it is aborted first.
 */
export async function waitForDatabase(database: Database, options: { signal: AbortSignal; everyMs?: number; maxEveryMs?: number }): Promise<void> {
  let delay = options.everyMs ?? 500;
  for (;;) {
    options.signal.throwIfAborted();
    try {
      await sql`SELECT 1`.execute(database.db);
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) return; // reachable, if unwell: the job's own retry decides
    }
    await sleep(delay, undefined, { signal: options.signal });
    delay = Math.min(delay * 2, options.maxEveryMs ?? 5_000);
  }
}
