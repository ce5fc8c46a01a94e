// Applies sql/migrations/NNN_name.sql in order, once each, recorded in public.dstats_migration.
// Safe to run twice and from two processes at once (an advisory lock serialises them).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Database } from './connect.js';
import { packagePath } from '../package-root.js';

export const MIGRATIONS_DIR = packagePath('sql', 'migrations');
const MIGRATION_FILE = /^\d{3}_[a-z0-9_]+\.sql$/;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<{ name: string; sql: string; checksum: string }[]> {
  const names = (await readdir(dir)).filter((n) => MIGRATION_FILE.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir}/${name}`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await listMigrations(dir);
  return database.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock(hashtext($1))', ['dstats:migrate']);
    try {
      await session.exec(`CREATE TABLE IF NOT EXISTS public.dstats_migration (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set(
        (await session.query<{ name: string }>('SELECT name FROM public.dstats_migration')).map((r) => r.name),
      );
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await session.exec('BEGIN');
        try {
          await session.exec(migration.sql);
          await session.query('INSERT INTO public.dstats_migration (name, checksum) VALUES ($1, $2)', [
            migration.name,
            migration.checksum,
          ]);
          await session.exec('COMMIT');
        } catch (error) {
          await session.exec('ROLLBACK');
          throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.name);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1))', ['dstats:migrate']);
    }
  });
}
