// Configuration comes from the environment only (secrets never from files in the repo).
import path from 'node:path';
import { z } from 'zod';
import { DstatsError } from './errors.js';
import { describeRedisUrl, parseRedisUrl } from './redis-url.js';

/**
 * Memory for each sort and hash of a bulk load or rollup (BI sessions and small files keep the
 * server's): they sort and hash-join hundreds of thousands of rows, which at Postgres' default of
 * 4 MB spill to disk. Not for every statement: with it, the rollups of a night of ward files chose
 * sort-based merge joins and gained nothing.
 */
export const DEFAULT_WORK_MEM = '64MB';

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().refine((url) => parseRedisUrl(url) !== null, 'a redis:// or rediss:// URL, such as redis://:password@host:6379').optional(),
  // REDIS_URL names nodes of a Redis Cluster; the client finds the others and follows their slots.
  DSTATS_REDIS_CLUSTER: z.enum(['true', 'false', '1', '0']).default('false').transform((value) => value === 'true' || value === '1'),
  DSTATS_ROOT: z.string().min(1).default('./dstats-root'),
  DSTATS_TZ: z.string().min(1).default('Asia/Ho_Chi_Minh'),
  DSTATS_NIGHTLY_CRON: z.string().min(1).default('30 1 * * *'),
  // How often a scheduler tries again a slot that another replica holds or whose pass failed.
  DSTATS_SLOT_RECHECK_MS: z.coerce.number().int().min(100).default(30_000),
  // {dstats}: a hash-tagged prefix keeps every queue in one Redis Cluster slot, as BullMQ requires.
  DSTATS_QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]+\}|[A-Za-z0-9_-]+)$/, 'letters, digits, _ and - only, optionally in braces ({dstats})')
    .optional(),
  DSTATS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  // Files are only picked up once their size and mtime have not changed for this long.
  DSTATS_SETTLE_MS: z.coerce.number().int().min(0).default(2000),
  // How long a worker may go silent before its job counts as stalled and is retried elsewhere.
  DSTATS_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  DSTATS_MAX_FILE_MB: z.coerce.number().positive().default(2048),
  DSTATS_MAX_ROWS: z.coerce.number().int().positive().default(20_000_000),
  DSTATS_CATALOG_DIR: z.string().optional(),
  // Years a rollup works on at once, each in its own transaction on its own connection (PGlite: 1).
  DSTATS_ROLLUP_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  // Through the queues, how long a rollup may wait for files still being loaded (src/rollup/wait.ts).
  DSTATS_ROLLUP_MAX_WAIT_MS: z.coerce.number().int().min(0).default(60_000),
  DSTATS_WORK_MEM: z.string().regex(/^\d+(kB|MB|GB)$/, 'a size such as 64MB').default(DEFAULT_WORK_MEM),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).superRefine((e, ctx) => {
  // A single Redis has one address; a list of them only makes sense as a cluster's entry points.
  if (e.REDIS_URL && !e.DSTATS_REDIS_CLUSTER && (parseRedisUrl(e.REDIS_URL)?.nodes.length ?? 0) > 1) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'several hosts are only for a Redis Cluster (DSTATS_REDIS_CLUSTER=true)' });
  }
});

export interface Config {
  databaseUrl?: string;
  redisUrl?: string;
  /** REDIS_URL names a node of a Redis Cluster (jobs/connection.ts). */
  redisCluster: boolean;
  root: string;
  timezone: string;
  nightlyCron: string;
  slotRecheckMs: number;
  queuePrefix: string;
  concurrency: number;
  settleMs: number;
  jobLockMs: number;
  maxFileBytes: number;
  maxRows: number;
  catalogDir?: string;
  workMem: string;
  rollupConcurrency: number;
  rollupMaxWaitMs: number;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  // Treat empty variables as unset, as shells and compose files often export VAR=.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new DstatsError('CONFIG_INVALID', { detail });
  }
  const e = result.data;
  const config: Config = {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisCluster: e.DSTATS_REDIS_CLUSTER,
    root: e.DSTATS_ROOT,
    timezone: e.DSTATS_TZ,
    nightlyCron: e.DSTATS_NIGHTLY_CRON,
    slotRecheckMs: e.DSTATS_SLOT_RECHECK_MS,
    queuePrefix: queuePrefix(e.DSTATS_QUEUE_PREFIX, e.DSTATS_REDIS_CLUSTER),
    concurrency: e.DSTATS_CONCURRENCY,
    settleMs: e.DSTATS_SETTLE_MS,
    jobLockMs: e.DSTATS_JOB_LOCK_MS,
    maxFileBytes: Math.round(e.DSTATS_MAX_FILE_MB * 1024 * 1024),
    maxRows: e.DSTATS_MAX_ROWS,
    catalogDir: e.DSTATS_CATALOG_DIR,
    workMem: e.DSTATS_WORK_MEM,
    rollupConcurrency: e.DSTATS_ROLLUP_CONCURRENCY,
    rollupMaxWaitMs: e.DSTATS_ROLLUP_MAX_WAIT_MS,
    logLevel: e.LOG_LEVEL,
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
  config.root = path.resolve(config.root);
  return config;
}

// BullMQ runs scripts over several keys of a queue, which a Redis Cluster allows only within one
// slot: a prefix in braces is hashed alone, so every key of every queue lands in its slot.
const isHashTagged = (prefix: string) => prefix.startsWith('{') && prefix.endsWith('}');

function queuePrefix(configured: string | undefined, cluster: boolean): string {
  if (configured === undefined) return cluster ? '{dstats}' : 'dstats';
  if (cluster && !isHashTagged(configured)) throw new DstatsError('REDIS_CLUSTER_PREFIX', { prefix: configured });
  return configured;
}

/** Where the queues live: REDIS_URL, and whether it names a node of a Redis Cluster (DSTATS_REDIS_CLUSTER). */
export interface RedisTarget {
  url: string;
  cluster: boolean;
}

/** The configured Redis of the queues; null: the stages run in-process. */
export function redisTargetOf(config: Pick<Config, 'redisUrl' | 'redisCluster'>): RedisTarget | null {
  return config.redisUrl ? { url: config.redisUrl, cluster: config.redisCluster } : null;
}

/** The embedded database lives inside the drop root, so a root carries its own warehouse. */
export function embeddedDir(config: Config): string {
  return path.join(config.root, '.dstats');
}

/** A server URL as messages and logs may show it: scheme, user, host and path, never the password. */
export function describeServerUrl(url: string, variable: 'DATABASE_URL' | 'REDIS_URL'): string {
  if (variable === 'REDIS_URL') return describeRedisUrl(url) ?? `(unparseable ${variable})`;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return `(unparseable ${variable})`;
  }
}
