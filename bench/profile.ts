// Where the time goes: each pipeline step timed on its own (a dispatcher that runs the next step
// only after the current one returned, as the in-process runner does), COPY timed around
// Database.copyInto, and every SQL statement timed at the pg client (named after its file in
// sql/queries/ when it is one).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { CopyValue, Database } from '../src/db/connect.js';
import { sqlText } from '../src/db/sql-file.js';
import { createStageContext, type StageContext } from '../src/pipeline/context.js';
import { steps, type Dispatcher } from '../src/pipeline/steps.js';

export interface Timing {
  count: number;
  ms: number;
}

export class Profile {
  readonly stages = new Map<string, Timing>();
  readonly sql = new Map<string, Timing>();

  add(map: Map<string, Timing>, label: string, ms: number): void {
    const t = map.get(label) ?? { count: 0, ms: 0 };
    t.count++;
    t.ms += ms;
    map.set(label, t);
  }

  async time<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.add(this.stages, label, performance.now() - t0);
    }
  }

  seconds(label: string): number {
    return (this.stages.get(label)?.ms ?? 0) / 1000;
  }

  sqlSeconds(label: string): number {
    return (this.sql.get(label)?.ms ?? 0) / 1000;
  }

  /** Stages, then the statements that took at least `minShare` of the SQL time, slowest first. */
  toJSON(minShare = 0.005): { stages: Record<string, { count: number; s: number }>; sql: Record<string, { count: number; s: number }> } {
    const round = (t: Timing) => ({ count: t.count, s: Math.round(t.ms) / 1000 });
    const total = [...this.sql.values()].reduce((a, t) => a + t.ms, 0);
    const sql = [...this.sql.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const shown = sql.filter(([, t]) => t.ms >= total * minShare);
    const rest = sql.slice(shown.length).reduce((a, [, t]) => ({ count: a.count + t.count, ms: a.ms + t.ms }), { count: 0, ms: 0 });
    return {
      stages: Object.fromEntries([...this.stages.entries()].map(([k, t]) => [k, round(t)])),
      sql: Object.fromEntries([...shown.map(([k, t]) => [k, round(t)] as const), ...(rest.count ? [['(other statements)', round(rest)] as const] : [])]),
    };
  }
}

// --- SQL statement timing at the pg client ------------------------------------------------------

let recording: Profile | null = null;
let patched = false;
let named: Map<string, string> | null = null;

function queryFileNames(): Map<string, string> {
  if (!named) {
    named = new Map();
    const dir = fileURLToPath(new URL('../sql/queries/', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
      const name = file.slice(0, -4);
      named.set(sqlText(name), `${name}.sql`);
    }
  }
  return named;
}

export function labelOf(text: string): string {
  return queryFileNames().get(text) ?? text.replace(/"/g, '').replace(/\s+/g, ' ').trim().slice(0, 90);
}

/** Times every statement run through a pg client of this process into `profile` (null: stop). */
export function recordSql(profile: Profile | null): void {
  recording = profile;
  if (patched) return;
  patched = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function patchedQuery(this: unknown, ...args: unknown[]) {
    const sink = recording;
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (sink && result && typeof (result as Promise<unknown>).then === 'function') {
      const first = args[0];
      const text = typeof first === 'string' ? first : typeof (first as { text?: unknown })?.text === 'string' ? (first as { text: string }).text : '(query object)';
      const done = () => sink.add(sink.sql, labelOf(text), performance.now() - t0);
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  };
}

/** The same database with COPY timed as the stage `normalise.copy` (read, parse, resolve and COPY: one stream). */
export function timedCopy(database: Database, profile: Profile): Database {
  return {
    ...database,
    copyInto: (table: string, columns: readonly string[], rows: AsyncIterable<readonly CopyValue[]>) =>
      profile.time('normalise.copy (read+parse+resolve+COPY)', () => database.copyInto(table, columns, rows)),
  };
}

/**
 * One pass like `dstats run` without Redis (scan, then each file through intake → normalise →
 * load, then one rollup and one publish), with every step timed on its own.
 */
export async function runTimed(ctx: StageContext, profile: Profile): Promise<{ files: number; years: number[] }> {
  let rollupWanted = false;
  let years: number[] = [];
  type Task = [label: string, run: (next: Dispatcher) => Promise<unknown>];

  async function step(label: string, run: (next: Dispatcher) => Promise<unknown>): Promise<void> {
    const followUps: Task[] = [];
    const next: Dispatcher = {
      intake: async (p) => void followUps.push(['intake', (d) => steps.intake(ctx, d, p)]),
      normalise: async (id) => void followUps.push(['normalise', (d) => steps.normalise(ctx, d, id)]),
      load: async (id) => void followUps.push(['load', (d) => steps.load(ctx, d, id)]),
      rollup: async () => void (rollupWanted = true), // coalesced: one rollup after every load
      publish: async (touched) => void followUps.push(['publish', (d) => steps.publish(ctx, d, (years = touched))]),
    };
    await profile.time(label, () => run(next));
    for (const [l, r] of followUps) await step(l, r);
  }

  let files = 0;
  await step('scan', async (d) => (files = (await steps.scan(ctx, d)).files));
  if (rollupWanted) await step('rollup', (d) => steps.rollup(ctx, d));
  return { files, years };
}

/**
 * runTimed over what is in the inbox with a profile of its own: the steps, the COPY and every SQL
 * statement of this process recorded into it, and the pass's wall time in seconds.
 */
export async function profiledPass(ctx: StageContext): Promise<{ profile: Profile; seconds: number; files: number; years: number[] }> {
  const profile = new Profile();
  const timedCtx = createStageContext(timedCopy(ctx.database, profile), ctx.config, ctx.log);
  recordSql(profile);
  const t0 = performance.now();
  try {
    const pass = await runTimed(timedCtx, profile);
    return { profile, seconds: (performance.now() - t0) / 1000, ...pass };
  } finally {
    recordSql(null);
  }
}
