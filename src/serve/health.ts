// /healthz: Postgres answers SELECT 1 and Redis (when configured) answers PING, each within a time
// limit so a hung dependency makes the check fail instead of hang.
import { sql } from 'kysely';
import type { RedisClient } from '../../jobs/connection.js';
import type { Database } from '../db/connect.js';
import { within } from '../within.js';

const TIMEOUT_MS = 3000;

export interface Health {
  ok: boolean;
  body: { postgres: string; redis: string };
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await within(check(), TIMEOUT_MS);
    return 'ok';
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

export async function checkHealth(database: Database, redis: RedisClient | null): Promise<Health> {
  const [postgres, redisState] = await Promise.all([
    probe(() => sql`SELECT 1`.execute(database.db)),
    redis ? probe(() => redis.ping()) : Promise.resolve('not configured'),
  ]);
  return { ok: postgres === 'ok' && (redisState === 'ok' || redisState === 'not configured'), body: { postgres, redis: redisState } };
}
