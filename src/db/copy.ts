// COPY FROM STDIN for both backends: the fastest way to get rows into Postgres.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PGlite } from '@electric-sql/pglite';

export type CopyValue = string | number | bigint | boolean | null;

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function copyStatement(table: string, columns: readonly string[], source: string): string {
  // Table and column names come from code, never from input; refuse anything unusual anyway.
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`refusing to COPY into identifier ${JSON.stringify(name)}`);
  }
  return `COPY ${table} (${columns.join(', ')}) FROM ${source}`;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value); // digits, sign, point: nothing to escape
  const text = typeof value === 'string' ? value : String(value);
  return NEEDS_ESCAPE.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

/** One row in COPY's text format, with its line break. */
export function copyLine(row: readonly CopyValue[]): string {
  // A loop, not row.map(copyField).join('\t'): no array per row.
  let line = row.length > 0 ? copyField(row[0]!) : '';
  for (let i = 1; i < row.length; i++) line += '\t' + copyField(row[i]!);
  return line + '\n';
}

const CHUNK_CHARS = 256 * 1024;

/** Encodes rows as COPY text in chunks of about CHUNK_CHARS characters; counts rows into `counter`. */
async function* copyText(rows: AsyncIterable<readonly CopyValue[]>, counter: { rows: number }) {
  let buffer = '';
  for await (const row of rows) {
    buffer += copyLine(row);
    counter.rows++;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

export async function copyIntoPostgres(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<readonly CopyValue[]>,
): Promise<number> {
  const counter = { rows: 0 };
  const sink = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
  await pipeline(Readable.from(copyText(rows, counter)), sink);
  return counter.rows;
}

// PGlite reads COPY input from a Blob: one COPY per chunk keeps memory bounded.
export async function copyIntoPglite(
  pglite: PGlite,
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<readonly CopyValue[]>,
): Promise<number> {
  const counter = { rows: 0 };
  const statement = copyStatement(table, columns, "'/dev/blob'");
  for await (const chunk of copyText(rows, counter)) {
    await pglite.query(statement, [], { blob: new Blob([chunk]) });
  }
  return counter.rows;
}
