// Finds the Postgres and Redis the tests run against: DATABASE_URL / REDIS_URL when set,
// otherwise containers started with testcontainers where a Docker engine is reachable.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { databasesNamed, dropDatabases } from './test-databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    /** Starts the name of every test database of this run (services.ts), so the run can drop what is left. */
    testDatabasePrefix: string;
  }
}

const HOW_TO =
  'Tests need a real Postgres and Redis. Either set DATABASE_URL (a role that may CREATE DATABASE) and ' +
  'REDIS_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379, ' +
  'or run the tests where a Docker engine is reachable so testcontainers can start them.';

export default async function setup(project: TestProject) {
  let databaseUrl = process.env.DATABASE_URL;
  let redisUrl = process.env.REDIS_URL;
  const stops: (() => Promise<unknown>)[] = [];
  if (!databaseUrl || !redisUrl) {
    try {
      if (!databaseUrl) {
        const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
        const pg = await new PostgreSqlContainer('postgres:16-alpine').start();
        stops.push(() => pg.stop());
        databaseUrl = pg.getConnectionUri();
      }
      if (!redisUrl) {
        const { RedisContainer } = await import('@testcontainers/redis');
        const redis = await new RedisContainer('redis:7-alpine').start();
        stops.push(() => redis.stop());
        redisUrl = redis.getConnectionUrl();
      }
    } catch (error) {
      throw new Error(`${HOW_TO}\n(testcontainers: ${(error as Error).message})`);
    }
  }
  const testDatabasePrefix = `dstats_test_${randomBytes(4).toString('hex')}_`;
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('testDatabasePrefix', testDatabasePrefix);
  const server = databaseUrl;
  return async () => {
    // What a test file left behind (its afterAll failed or never ran, or it was cut short while a
    // load held a connection), so a shared server keeps none of this run's databases.
    await dropDatabases(server, await databasesNamed(server, testDatabasePrefix));
    for (const stop of stops) await stop();
  };
}
