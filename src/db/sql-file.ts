// Runs the parameterised statements kept in sql/queries/*.sql.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import { packagePath } from '../package-root.js';

const QUERIES_DIR = packagePath('sql', 'queries');
const cache = new Map<string, string>();

export function sqlText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(QUERIES_DIR, `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Executes sql/queries/<name>.sql with positional parameters ($1, $2, ...) on a db or a transaction. */
export async function runSql<R = Record<string, unknown>>(
  executor: Kysely<DB>,
  name: string,
  params: readonly unknown[] = [],
): Promise<{ rows: R[]; affected: number }> {
  const result = await executor.executeQuery<R>(CompiledQuery.raw(sqlText(name), params as unknown[]));
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
}
