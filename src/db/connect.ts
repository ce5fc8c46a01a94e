// One interface over the two backends: a Postgres server (pg pool) or the embedded PGlite.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { DB } from './schema.js';
import { copyIntoPostgres, copyIntoPglite, type CopyValue } from './copy.js';
import { acquireDirectoryLock, type DirectoryLock } from './dir-lock.js';
import { describeServerUrl } from '../config.js';
import { connectionFailure, DstatsError } from '../errors.js';

export type { CopyValue } from './copy.js';

export interface Session {
  exec(script: string): Promise<void>;
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** Human-readable target, never containing a password. */
  readonly description: string;
  readonly db: Kysely<DB>;
  /** Runs a multi-statement SQL script (simple protocol: the script is one implicit transaction). */
  execScript(script: string): Promise<void>;
  /** Runs fn on one dedicated connection (for session-level advisory locks and explicit transactions). */
  withSession<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /** Streams rows into a table with COPY; returns the number of rows copied. */
  copyInto(table: string, columns: readonly string[], rows: AsyncIterable<readonly CopyValue[]>): Promise<number>;
  close(): Promise<void>;
}

// Keep numeric, bigint and date as strings: exact values, no timezone shifts.
const RAW_TYPES = [20, 1700, 1082] as const;

export async function openDatabase(options: { databaseUrl?: string; embeddedDir: string }): Promise<Database> {
  if (!options.databaseUrl) return openPglite(options.embeddedDir);
  const database = openPostgres(options.databaseUrl);
  // One round trip now, so that a wrong URL or a stopped server is said plainly at the start
  // instead of surfacing as a stack trace from the first query of a command.
  try {
    await database.execScript('SELECT 1');
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new DstatsError('DATABASE_UNREACHABLE', { target: database.description, detail: connectionFailure(error) });
  }
  return database;
}

function openPostgres(url: string): Database {
  const rawParsers = new Map<number, (v: string) => unknown>(RAW_TYPES.map((oid) => [oid, (v: string) => v]));
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        rawParsers.get(oid) ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (Postgres restart, failover, a terminated backend) must not crash
  // the process: the query in flight fails, its job is retried. pg-pool only listens on idle
  // clients, so every client gets its own listener.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    description: describeServerUrl(url, 'DATABASE_URL'),
    db,
    async execScript(script) {
      await pool.query(script);
    },
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (script) => void (await client.query(script)),
          query: async <R>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, params as unknown[])).rows as R[],
        });
      } finally {
        client.release();
      }
    },
    async copyInto(table, columns, rows) {
      const client = await pool.connect();
      try {
        return await copyIntoPostgres(client, table, columns, rows);
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy(); // ends the pool
    },
  };
}

async function openPglite(dir: string): Promise<Database> {
  // A root that is a file, or a folder this user cannot write to, is the operator's to fix.
  const unusable = (error: NodeJS.ErrnoException) => {
    if (!error.code || !['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST'].includes(error.code)) return error;
    return new DstatsError('EMBEDDED_DIR_UNUSABLE', { path: dir, detail: `${error.code}: ${error.syscall ?? ''} ${error.path ?? ''}`.trim() });
  };
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw unusable(error);
  });
  // A PGlite data directory must be opened by one process only.
  const lock: DirectoryLock = await acquireDirectoryLock(path.join(dir, 'dstats.lock')).catch((error: NodeJS.ErrnoException) => {
    throw error instanceof DstatsError ? error : unusable(error);
  });
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(path.join(dir, 'pgdata'), {
      parsers: Object.fromEntries(RAW_TYPES.map((oid) => [oid, (v: string) => v])),
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  let closed = false;
  return {
    kind: 'pglite',
    description: `embedded PGlite at ${dir}`,
    db,
    async execScript(script) {
      await pglite.exec(script);
    },
    // PGlite has a single connection; one process owns the directory (see the lock above).
    async withSession(fn) {
      return fn({
        exec: async (script) => void (await pglite.exec(script)),
        query: async <R>(text: string, params: readonly unknown[] = []) =>
          (await pglite.query<R>(text, params as unknown[])).rows,
      });
    },
    async copyInto(table, columns, rows) {
      return copyIntoPglite(pglite, table, columns, rows);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes PGlite too
      await lock.release();
    },
  };
}
