// Per-test-file isolation: each file gets its own Postgres database and its own queue prefix, so
// files run in parallel against one server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export function serverUrls() {
  return { databaseUrl: inject('databaseUrl'), redisUrl: inject('redisUrl') };
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = serverUrls().databaseUrl;
  const name = `dstats_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function testQueuePrefix(): string {
  return `dstats-test-${randomBytes(5).toString('hex')}`;
}

export async function tempDir(label: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `dstats-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
