// Fault injection for the tests/integration/faults-*.test.ts and security.test.ts files: `dstats`
// processes started and killed on purpose, private Redis and Postgres servers that may be killed
// and restarted (never the shared ones: other test files use them in parallel), a large generated
// submission, and the assertions every fault test ends with: each file loaded exactly once or
// rejected, and the mart equal to a clean run of the same files on a fresh database.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runSql } from '../../src/db/sql-file.js';
import { SERIES_CODES } from '../../src/normalise/vocabulary.js';
import { BIN, runCli } from './cli.js';
import { CITY, WARDS_OF_CITY } from './city-units.js';
import { SAMPLES } from './drop-root.js';
import { createTestDatabase, tempDir } from './services.js';
import { pendingJobs, type Queues } from '../../jobs/queues.js';

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Waiting

/** Polls `check` until it returns a truthy value (returned) or `timeoutMs` passes (throws). */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

/**
 * Runs every clean-up step even when some fail (an afterAll after a failed beforeAll finds half of
 * its resources missing), then throws the first error.
 */
export async function cleanup(...steps: (() => unknown)[]): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      first ??= error;
    }
  }
  if (first !== undefined) throw first;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A TCP relay to one server that can be cut, as a network partition cuts one host off from it. */
export interface TcpRelay {
  url: string;
  /** From now on nothing passes either way, and what was sent is never delivered; connections stay open. */
  cut(): void;
  close(): Promise<void>;
}

export async function tcpRelay(serverUrl: string): Promise<TcpRelay> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  let isCut = false;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (chunk) => void (isCut || to.write(chunk)));
      from.on('error', () => undefined);
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = new URL(serverUrl);
  url.port = String(typeof address === 'object' && address ? address.port : 0);
  url.hostname = '127.0.0.1';
  return {
    url: url.toString(),
    cut: () => void (isCut = true),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Proc {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr so far, interleaved */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** resolves when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** waits until `text` appears in the output */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** sends `signal` and waits for the exit */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started = new Set<Proc>();

/** Starts any program; it is killed by killStarted() if the test leaves it running. */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let all = '';
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    all += d;
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d;
    all += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: null, signal: null }));
  });
  let done = false;
  void exited.then(() => (done = true));
  const proc: Proc = {
    child,
    pid: child.pid!,
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    exited,
    running: () => !done,
    async waitForOutput(text, timeoutMs = 60_000) {
      const found = () => (typeof text === 'string' ? all.includes(text) : text.test(all));
      await Promise.race([
        waitFor(`${String(text)} from ${command} ${args.join(' ')}`, found, timeoutMs, 25),
        exited.then((how) => {
          if (!found()) throw new Error(`${command} ${args.join(' ')} exited (${how.code ?? how.signal}) before printing ${String(text)}:\n${all.slice(-4000)}`);
        }),
      ]);
    },
    async stop(signal = 'SIGTERM', timeoutMs = 60_000) {
      if (!done) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  started.add(proc);
  void exited.then(() => started.delete(proc));
  return proc;
}

/** The environment a `dstats` child gets: DATABASE_URL/REDIS_URL only when given (like runCli). */
export function dstatsEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.REDIS_URL;
  return { ...base, LOG_LEVEL: 'info', DSTATS_SETTLE_MS: '0', ...env };
}

/** Starts `dstats <args>` and waits until it prints `ready` (e.g. 'serving' for a worker). */
export async function startDstats(args: string[], env: Record<string, string>, ready: string | RegExp): Promise<Proc> {
  const proc = startProcess(process.execPath, [BIN, ...args], dstatsEnv(env));
  try {
    await proc.waitForOutput(ready);
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  }
  return proc;
}

export function startWorker(env: Record<string, string>, extra: string[] = []): Promise<Proc> {
  return startDstats(['worker', '--concurrency', '2', ...extra], env, 'serving');
}

/** Kills (SIGKILL) every process started through this module that is still running. */
export async function killStarted(): Promise<void> {
  await Promise.all([...started].map((p) => p.stop('SIGKILL', 5000)));
}

// ---------------------------------------------------------------------------------------------
// Private servers (for faults that would disturb the other test files on the shared ones)

export interface PrivateRedis {
  url: string;
  port: number;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * For the tests of a describe: a private Redis, started before them and stopped after them.
 * Register it before useDeployment, whose clean-up then runs first (hooks unwind as a stack).
 */
export function usePrivateRedis(): { server: PrivateRedis } {
  const holder = {} as { server: PrivateRedis };
  beforeAll(async () => {
    holder.server = await privateRedis();
  });
  afterAll(() => holder.server?.stop());
  return holder;
}

/** A redis-server child process without persistence on a free port: killing it loses every key. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: Proc | null = null;
  const server: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], process.env);
      await proc.waitForOutput('Ready to accept connections', 20_000);
    },
    async kill() {
      await proc?.stop('SIGKILL');
      proc = null;
    },
    async stop() {
      await proc?.stop('SIGTERM', 5000);
      proc = null;
    },
  };
  await server.start();
  return server;
}

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  url: string;
  port: number;
  dir: string;
  start(): Promise<void>;
  /** pg_ctl stop -m immediate: every backend dies at once, as in a crash */
  crash(): Promise<void>;
  /** pg_ctl stop -m fast: clients cut off, their transactions rolled back, then a checkpoint (`docker compose restart`) */
  stop(): Promise<void>;
  destroy(): Promise<void>;
  log(): Promise<string>;
}

export const asPostgres = (args: string[]) => run('runuser', ['-u', 'postgres', '--', ...args], { timeout: 60_000 });

/** A new temporary directory the postgres OS user owns, for a data directory of its own. */
export async function postgresOwnedTempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `dstats-${label}-`));
  const { uid, gid } = await postgresIds();
  await chown(dir, uid, gid);
  return dir;
}

/** The postgres OS user's ids. */
export async function postgresIds(): Promise<{ uid: number; gid: number }> {
  return { uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()), gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()) };
}

/**
 * For the tests of a describe: a private Postgres, made before them and removed after them.
 * Register it before useDeployment, whose clean-up then runs first.
 */
export function usePrivatePostgres(): { server: PrivatePostgres } {
  const holder = {} as { server: PrivatePostgres };
  beforeAll(async () => {
    holder.server = await privatePostgres();
  });
  afterAll(() => holder.server?.destroy());
  return holder;
}

/** A throw-away Postgres cluster (initdb as the postgres OS user) on a free port, trust auth. */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = await postgresOwnedTempDir('pg');
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const server: PrivatePostgres = {
    port,
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-l', logFile, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', 'start']);
    },
    async crash() {
      await asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    async stop() {
      await asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async destroy() {
      await asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
  try {
    await asPostgres([`${PG_BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
    await server.start();
  } catch (error) {
    await server.destroy();
    throw error;
  }
  return server;
}

// ---------------------------------------------------------------------------------------------
// Redis

/** Deletes every key of one queue prefix (KEYS <prefix>:* then DEL): Redis "losing its data" for one deployment. */
export async function deletePrefixKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    return keys.length;
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// A small file system

export interface SmallDisk {
  /** Writes a filler file until the file system is full to the last byte. */
  fill(): Promise<void>;
  /** Removes the filler. */
  free(): Promise<void>;
  /** Makes the file system bigger, as adding a disk would. */
  grow(sizeKb: number): Promise<void>;
  unmount(): Promise<void>;
}

/** Whether this process may mount a tmpfs (root on Linux): the full-disk test needs it. */
export async function canMountTmpfs(): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dstats-mount-probe-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    await run('umount', [dir]);
    return true;
  } catch {
    return false;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A tmpfs of `sizeKb` mounted over `dir` (which should be empty), so that its disk can be filled;
 * `owner` owns its top folder (Postgres takes a tablespace only in a folder of its own user).
 */
export async function smallDisk(dir: string, sizeKb: number, owner?: { uid: number; gid: number }): Promise<SmallDisk> {
  const ownedBy = owner ? `,uid=${owner.uid},gid=${owner.gid},mode=0700` : '';
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k${ownedBy}`, 'tmpfs', dir]);
  const filler = path.join(dir, '.filler');
  return {
    async fill() {
      const chunk = Buffer.alloc(4096);
      const handle = await open(filler, 'a');
      try {
        for (;;) await handle.write(chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        await handle.close();
      }
    },
    free: () => rm(filler, { force: true }),
    grow: (sizeKb) => run('mount', ['-o', `remount,size=${sizeKb}k`, dir]).then(() => undefined),
    unmount: () => run('umount', [dir]).then(() => undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// Submissions

export interface DropFile {
  source: string;
  name: string;
  content: string | Buffer;
}

/** The sample submissions of tests/fixtures/samples/inbox as files to drop. */
export async function sampleFiles(sources: string[]): Promise<DropFile[]> {
  const files: DropFile[] = [];
  for (const source of sources) {
    for (const name of (await readdir(path.join(SAMPLES, source))).sort()) {
      files.push({ source, name, content: await readFile(path.join(SAMPLES, source, name)) });
    }
  }
  return files;
}

/**
 * The samples the fault tests drop beside a large file: four accepted files, one rejected (every
 * row has a different fault). The ward 05440 reports an estimate for BUDGET_REVENUE 2022S1 that the
 * finance department's official figure (164-TCKH) overrides whatever the order of the loads.
 */
export const FAULT_SAMPLES = ['05440', '05443', '164-NV', '164-TCKH', '164-VHTT'];

export async function dropFiles(root: string, files: DropFile[]): Promise<void> {
  for (const f of files) {
    await mkdir(path.join(root, 'inbox', f.source), { recursive: true });
    await writeFile(path.join(root, 'inbox', f.source, f.name), f.content);
  }
}

const CITY_AND_WARDS = [CITY, ...WARDS_OF_CITY];
// Indicators that are never summed across units (aggregation none): the rollup after a large
// file stays short, so a fault test spends its time in normalise and load.
const NOT_SUMMED = ['ECONOMIC_GROWTH_RATE', 'ADMIN_PROCEDURES_ONLINE_L34', 'ADMIN_PROCEDURES_PUBLISHED_RATE', 'PAR_INDEX_SCORE', 'SIPAS_SCORE', 'DDCI_SCORE', 'PCI_SCORE', 'ZONING_COVERAGE_RATE', 'SOLID_WASTE_COLLECTED_RATE', 'DX_INDEX_RANK', 'PAR_INDEX_RANK', 'SIPAS_RANK', 'DDCI_RANK'];

/**
 * A large long-format submission for 164-TCKH (which reports for the city and its wards): `rows`
 * data rows, each a different cell (unit × indicator × month × series), the first `values` with a
 * figure and the rest "-" (no figure: read and checked, nothing loaded). Months run backwards from
 * December of `lastYear`; two files with different `lastYear` (at least 3 years apart for 40k
 * values) share no cell, so the order in which they load does not change the mart. Every value is
 * official unless `status` gives each indicator's status text.
 */
export function largeSubmission(options: { rows: number; values: number; lastYear?: number; name?: string; status?: (indicator: string) => string }): DropFile {
  const statusOf = options.status;
  const lines = [`unit_code,indicator_code,period,series,value${statusOf ? ',status' : ''}`];
  let n = 0;
  outer: for (let year = options.lastYear ?? 2024; year >= 2000; year--) {
    for (let month = 12; month >= 1; month--) {
      const period = `${year}${String(month).padStart(2, '0')}`;
      for (const series of SERIES_CODES) {
        for (const unit of CITY_AND_WARDS) {
          for (const indicator of NOT_SUMMED) {
            if (n >= options.rows) break outer;
            // 1..97 fits every range of these indicators (percentages, scores, ranks ≥ 1).
            lines.push(`${unit},${indicator},${period},${series},${n < options.values ? String((n % 97) + 1) : '-'}${statusOf ? `,${statusOf(indicator)}` : ''}`);
            n++;
          }
        }
      }
    }
  }
  if (n < options.rows) throw new Error(`largeSubmission: only ${n} distinct cells available`);
  return { source: '164-TCKH', name: options.name ?? `so-lieu-lon-${options.lastYear ?? 2024}.csv`, content: lines.join('\n') + '\n' };
}

// ---------------------------------------------------------------------------------------------
// Watching the database

/** Non-idle statements of other sessions on this database (what the workers are doing right now). */
export async function activeQueries(database: Database): Promise<{ pid: number; query: string; wait_event_type: string | null; backend_start: string }[]> {
  const { rows } = await sql<{ pid: number; query: string; wait_event_type: string | null; backend_start: string }>`
    SELECT pid, query, wait_event_type, backend_start::text AS backend_start FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state NOT IN ('idle')`.execute(database.db);
  return rows;
}

/** A normalise job streaming rows into staging (COPY … FROM STDIN). */
export const COPYING = /^COPY core\.staged_value/;
/**
 * A load job inside its transaction: sql/queries/load_submission.sql, known by its first line
 * (pg_stat_activity keeps only the first 1,024 bytes of a statement).
 */
export const LOADING = /^-- Load one staged submission in one statement/;

export function waitForQuery(database: Database, pattern: RegExp, timeoutMs = 30_000, everyMs = 10) {
  return waitFor(`a statement matching ${pattern}`, async () => (await activeQueries(database)).find((q) => pattern.test(q.query)), timeoutMs, everyMs);
}

/**
 * Runs `during` while another session holds the staged rows of `submissionId`. A load of that
 * submission started in `during` stops inside its transaction, after its year locks, until
 * `during` ends: load_submission.sql deletes the staged rows after writing its values. Its years'
 * partitions are made first: making one then would wait for the rows held as well.
 */
export async function whileStagedRowsHeld(database: Database, submissionId: string, during: () => Promise<void>): Promise<void> {
  await runSql(database.db, 'ensure_partitions', [submissionId]);
  await database.withSession(async (session) => {
    await session.query('BEGIN');
    await session.query('SELECT 1 FROM core.staged_value WHERE submission_id = $1 FOR UPDATE', [submissionId]);
    try {
      await during();
    } finally {
      await session.query('ROLLBACK');
    }
  });
}

/** Waits until a load (LOADING) waits for a lock: inside its transaction, after its year locks. */
export function waitForLoadToWait(database: Database) {
  return waitFor('a load to wait for a lock', async () => (await activeQueries(database)).some((q) => LOADING.test(q.query) && q.wait_event_type === 'Lock'));
}

/**
 * Waits until the named file is in the given stage — its normalise streaming rows into staging
 * (COPYING) or its load transaction running (LOADING) — while no other file is in that stage, so
 * the statement seen is this file's; for a large file's normalise, also while small files are
 * being staged next to it (a fast COPY would otherwise often end before they do).
 */
export async function waitForStageOf(database: Database, fileName: string, stage: 'normalise' | 'load', timeoutMs = 40_000) {
  const [state, pattern] = stage === 'normalise' ? ['received', COPYING] : ['staged', LOADING];
  return waitFor(
    `${stage} of ${fileName}`,
    async () => {
      const subs = await submissions(database);
      const target = subs.find((s) => s.file_name === fileName);
      if (target?.state !== state) return undefined;
      // A large file's COPY is the one past a few thousand rows, whatever else is being staged.
      if (stage === 'normalise' && (await largeCopyRunning(database))) return target;
      if (subs.some((s) => s !== target && s.state === state)) return undefined;
      return (await activeQueries(database)).find((q) => pattern.test(q.query)) && target;
    },
    timeoutMs,
    10,
  );
}

/** Whether a COPY into staging has passed LARGE_COPY_ROWS rows (no sample file has that many). */
const LARGE_COPY_ROWS = 2_000;
async function largeCopyRunning(database: Database): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_progress_copy
    WHERE datname = current_database() AND command = 'COPY FROM' AND tuples_processed >= ${LARGE_COPY_ROWS}`.execute(database.db);
  return rows[0]!.n > 0;
}

export async function submissions(database: Database) {
  return database.db
    .selectFrom('core.submission')
    .select(['submission_id', 'source_id', 'file_name', 'state', 'values_staged', 'values_loaded', 'stored_path', 'first_problem'])
    .orderBy('submission_id')
    .execute();
}

/**
 * Every submission finished (loaded, rejected or duplicate) and the database quiet: no statement
 * of any other session running, twice 300 ms apart (a rollup or publish job may follow a load).
 */
export async function settled(database: Database): Promise<boolean> {
  for (let look = 0; look < 2; look++) {
    if (look > 0) await sleep(300);
    const open = await database.db.selectFrom('core.submission').select('submission_id').where('state', 'in', ['received', 'staged']).execute();
    if (open.length > 0 || (await activeQueries(database)).length > 0) return false;
  }
  return true;
}

/**
 * The settings of a fault test's `dstats` processes. Job locks of 2 s, so that a killed worker's
 * job comes back quickly. A rollup waits while the queues count files in flight, up to
 * DSTATS_ROLLUP_MAX_WAIT_MS (60 s by default); after a fault, a job the queues still count may
 * hold it that long, longer than waitUntilQuiet waits, so these tests bound it at 10 s.
 */
export const FAULT_ENV = { DSTATS_JOB_LOCK_MS: '2000', DSTATS_ROLLUP_MAX_WAIT_MS: '10000' } as const;

/**
 * Waits until no submission is open in the database and no job is pending in the queues. While
 * it is not, each look says what is still open, so a timeout names it (submission states, jobs
 * per stage and state) instead of only that it timed out.
 */
export async function waitUntilQuiet(what: string, database: Database, queues: Queues, timeoutMs = 40_000): Promise<void> {
  await waitFor(what, async () => {
    const pending = await pendingJobs(queues);
    if (pending > 0) throw new Error(`jobs still pending: ${await jobStates(queues)}`);
    if (!(await settled(database))) {
      const open = await database.db.selectFrom('core.submission').select(['submission_id', 'state']).where('state', 'in', ['received', 'staged']).execute();
      throw new Error(`not settled: open submissions ${JSON.stringify(open)}, or queries still running`);
    }
    return true;
  }, timeoutMs, 200);
}

async function jobStates(queues: Queues): Promise<string> {
  const parts: string[] = [];
  for (const [stage, queue] of Object.entries(queues)) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const busy = Object.entries(counts).filter(([, n]) => n > 0).map(([state, n]) => `${state} ${n}`);
    if (busy.length) parts.push(`${stage}: ${busy.join(', ')}`);
  }
  return parts.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Outcome assertions

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

export interface DropRootState {
  inbox: string[];
  work: string[];
  archive: string[];
  rejected: string[];
}

export async function dropRootState(root: string): Promise<DropRootState> {
  return {
    inbox: await filesUnder(path.join(root, 'inbox')),
    work: await filesUnder(path.join(root, 'work')),
    archive: (await filesUnder(path.join(root, 'archive'))).filter((f) => !f.endsWith('.receipt.json')),
    rejected: (await filesUnder(path.join(root, 'rejected'))).filter((f) => !f.endsWith('.errors.csv')),
  };
}

/** A submission's end as `loaded 40000` (values loaded) or `rejected`. */
function outcome(s: { state: string; values_loaded: number | null }): string {
  return s.state === 'loaded' ? `loaded ${s.values_loaded}` : s.state;
}

/**
 * Every dropped file ended loaded exactly once or rejected: one submission per file and no
 * duplicate, nothing left in inbox/ or work/, each loaded submission has exactly values_loaded
 * observations and no cell twice, nothing left in staging, each file's report beside it. Returns how each file ended
 * (`loaded <values>` or `rejected`) by `<source>/<name>`, to compare with a clean run.
 */
export async function expectEachFileOnce(database: Database, root: string, files: DropFile[]): Promise<Record<string, string>> {
  const subs = await submissions(database);
  const state: Record<string, string> = {};
  for (const s of subs) {
    const key = `${s.source_id}/${s.file_name}`;
    expect(state[key], `${key} registered twice`).toBeUndefined();
    state[key] = outcome(s);
  }
  expect(Object.keys(state).sort()).toEqual(files.map((f) => `${f.source}/${f.name}`).sort());
  for (const s of subs) expect(['loaded', 'rejected'], `${s.source_id}/${s.file_name} is ${s.state}`).toContain(s.state);

  const counts = await database.db
    .selectFrom('core.observation')
    .select(['submission_id', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('submission_id')
    .execute();
  const observed = new Map(counts.map((c) => [String(c.submission_id), Number(c.n)]));
  for (const s of subs) {
    const n = observed.get(String(s.submission_id)) ?? 0;
    if (s.state === 'loaded') expect(n, `observations of ${s.file_name}`).toBe(s.values_loaded);
    else expect(n, `observations of rejected ${s.file_name}`).toBe(0);
  }
  const doubled = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM (
      SELECT 1 FROM core.observation GROUP BY submission_id, unit_key, indicator_code, period_code, series HAVING count(*) > 1) d`.execute(database.db);
  expect(doubled.rows[0]!.n, 'cells loaded twice by one submission').toBe('0');
  const staged = await database.db.selectFrom('core.staged_value').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  expect(staged.n, 'rows left in staging').toBe('0');
  expect(await settled(database), 'submissions left unfinished').toBe(true);

  const files2 = await dropRootState(root);
  expect(files2.inbox, 'files left in inbox/').toEqual([]);
  expect(files2.work, 'files left in work/').toEqual([]);
  expect([...files2.archive, ...files2.rejected].length).toBe(files.length);
  for (const s of subs) {
    const area = s.state === 'loaded' ? 'archive' : 'rejected';
    expect(path.relative(path.join(root, area), s.stored_path).startsWith('..'), `${s.file_name} stored in ${area}/`).toBe(false);
    // Its report beside it, whole: a receipt of this submission, or at least one problem.
    const report = s.state === 'loaded' ? `${s.stored_path}.receipt.json` : `${s.stored_path}.errors.csv`;
    const text = await readFile(report, 'utf8').catch(() => null);
    expect(text, `the report of ${s.source_id}/${s.file_name}`).not.toBeNull();
    if (s.state === 'loaded') expect(JSON.parse(text!).submission_id, report).toBe(String(s.submission_id));
    else expect(text!.split('\r\n').filter(Boolean).length, `problems in ${report}`).toBeGreaterThan(1);
  }
  // Nothing else in the areas: no half-written or temporary report.
  const stored = [...(await filesUnder(path.join(root, 'archive'))), ...(await filesUnder(path.join(root, 'rejected')))];
  expect(stored.length, stored.join(', ')).toBe(2 * files.length);
  return state;
}

// ---------------------------------------------------------------------------------------------
// The mart

/** mart.fact_value as sorted `unit|indicator|period|series|value|status` lines. */
export async function martSnapshot(database: Database): Promise<string[]> {
  const rows = await database.db
    .selectFrom('mart.fact_value')
    .select(['unit_code', 'indicator_code', 'period_code', 'series', 'value', 'status'])
    .execute();
  return rows.map((r) => [r.unit_code, r.indicator_code, r.period_code, r.series, String(r.value), r.status].join('|')).sort();
}

/** Compares two snapshots; on a difference the message shows the first lines only in one of them. */
export function expectSameMart(actual: string[], clean: string[]): void {
  const a = new Set(actual);
  const c = new Set(clean);
  const missing = clean.filter((l) => !a.has(l));
  const extra = actual.filter((l) => !c.has(l));
  expect({ rows: actual.length, missing: missing.slice(0, 20), extra: extra.slice(0, 20) }).toEqual({ rows: clean.length, missing: [], extra: [] });
}

export interface CleanRun {
  mart: string[];
  states: Record<string, string>;
}

/**
 * For a fault test: the files it drops (FAULT_SAMPLES and `extra`, read before its tests) and a
 * clean run of the same files, started at once and awaited by the tests that compare with it.
 */
export function useFaultFiles(extra: DropFile[]): { files: DropFile[]; clean(): Promise<CleanRun> } {
  const files: DropFile[] = [];
  let clean: Promise<CleanRun>;
  beforeAll(async () => {
    files.push(...(await sampleFiles(FAULT_SAMPLES)), ...extra);
    clean = cleanRun(files);
    clean.catch(() => undefined); // awaited in the tests
  });
  afterAll(() => clean?.catch(() => undefined));
  return { files, clean: () => clean };
}

/** The same files through `dstats run` (in-process) on a fresh database: what the mart should be. */
export async function cleanRun(files: DropFile[]): Promise<CleanRun> {
  const tdb = await createTestDatabase();
  const root = await tempDir('clean');
  try {
    await dropFiles(root.dir, files);
    const result = await runCli(['run'], { DATABASE_URL: tdb.url, DSTATS_ROOT: root.dir });
    if (result.code !== 0 && result.code !== 1) throw new Error(`clean run failed (${result.code}): ${result.stderr}`);
    const database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    try {
      const states = Object.fromEntries((await submissions(database)).map((s) => [`${s.source_id}/${s.file_name}`, outcome(s)]));
      return { mart: await martSnapshot(database), states };
    } finally {
      await database.close();
    }
  } finally {
    await tdb.drop();
    await root.remove();
  }
}
