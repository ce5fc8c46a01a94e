// Per-test-file isolation: each file gets its own Postgres database and its own queue prefix, so
// files run in parallel against one server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { inject } from 'vitest';
import { dropDatabases } from './test-databases.js';

export function serverUrls() {
  return { databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl') };
}

/** One statement on a connection of its own (a private server, another role): its rows. */
export async function queryAt<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A server URL with some of its parts changed: another port, database, user or password. */
export function withUrlParts(url: string, changes: { port?: number; pathname?: string; username?: string; password?: string }): string {
  const u = new URL(url);
  if (changes.port !== undefined) u.port = String(changes.port);
  if (changes.pathname !== undefined) u.pathname = changes.pathname;
  if (changes.username !== undefined) u.username = changes.username;
  if (changes.password !== undefined) u.password = changes.password;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = serverUrls().databaseUrl;
  const name = `${inject('testDatabasePrefix')}${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabases(admin, [name]),
  };
}

const queuePrefixesMade = new Set<string>();

export function testQueuePrefix(): string {
  const prefix = `dstats-test-${randomBytes(5).toString('hex')}`;
  queuePrefixesMade.add(prefix);
  return prefix;
}

/** Deletes the Redis keys of the queue prefixes this test file made (after its own hooks: queue-cleanup.ts). */
export async function removeTestQueues(): Promise<void> {
  if (queuePrefixesMade.size === 0) return;
  const redis = new Redis(serverUrls().redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    for (const prefix of queuePrefixesMade) {
      for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
        if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
      }
    }
    queuePrefixesMade.clear();
  } finally {
    redis.disconnect();
  }
}

export async function tempDir(label: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `dstats-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
