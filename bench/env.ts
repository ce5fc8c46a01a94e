// What a bench run owns: its databases on DATABASE_URL's server, its queue prefixes on REDIS_URL,
// its temporary directory. Everything is removed at the end, also after a failure or Ctrl-C.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { readCatalog } from '../src/catalog/files.js';
import type { Catalog } from '../src/catalog/model.js';
import { syncCatalog } from '../src/catalog/sync.js';
import { loadConfig, type Config } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/log.js';
import { createStageContext, type StageContext } from '../src/pipeline/context.js';

export interface BenchDatabase {
  name: string;
  url: string;
}

export class BenchEnv {
  readonly runId = randomBytes(4).toString('hex');
  readonly template: BenchDatabase;
  private readonly databases: BenchDatabase[] = [];
  private readonly prefixes: string[] = [];
  /** How often each label was handed out: with --repeat a scenario asks again for its database and prefix. */
  private readonly labelsUsed = new Map<string, number>();
  private templateReady = false;
  tmp = '';
  catalog!: Catalog;
  /** --keep: leave the databases and files in place for inspection (queue keys are still removed) */
  keep = false;

  constructor(
    readonly adminUrl: string,
    readonly redisUrl: string,
    readonly log: (line: string) => void,
  ) {
    this.template = this.databaseNamed(`dstats_bench_${this.runId}`);
  }

  /** `label` the first time, then `label_2`, `label_3`…: a kept or still-draining earlier run's is not reused. */
  private uniqueLabel(kind: 'database' | 'queue', label: string): string {
    const key = `${kind}:${label}`;
    const n = (this.labelsUsed.get(key) ?? 0) + 1;
    this.labelsUsed.set(key, n);
    return n === 1 ? label : `${label}_${n}`;
  }

  private databaseNamed(name: string): BenchDatabase {
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  }

  private async admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** The run's own database, migrated and catalogued once; every scenario gets a copy of it. */
  async prepare(): Promise<void> {
    this.tmp = await mkdtemp(path.join(os.tmpdir(), `dstats-bench-${this.runId}-`));
    this.catalog = await readCatalog();
    await this.admin((c) => c.query(`CREATE DATABASE ${this.template.name}`));
    this.databases.push(this.template);
    const database = await openDatabase({ databaseUrl: this.template.url, embeddedDir: path.join(this.tmp, '.unused') });
    try {
      await migrate(database);
      await syncCatalog(database, this.catalog);
    } finally {
      await database.close();
    }
    this.templateReady = true;
  }

  /** A fresh database for one scenario: a copy of the prepared one (CREATE DATABASE … TEMPLATE). */
  async freshDatabase(label: string): Promise<BenchDatabase> {
    if (!this.templateReady) throw new Error('bench: prepare() first');
    const db = this.databaseNamed(`${this.template.name}_${this.uniqueLabel('database', label)}`);
    await this.admin(async (c) => {
      await c.query(`CREATE DATABASE ${db.name} TEMPLATE ${this.template.name}`);
      // A template does not pass on the settings the migrations made for its database (jit off,
      // the BI role's planner settings): copy them, so the copy is what a migrated database is.
      const { rows } = await c.query<{ role: string | null; name: string; value: string }>(
        `SELECT NULLIF(s.setrole, 0)::regrole::text AS role, split_part(setting, '=', 1) AS name,
                substr(setting, strpos(setting, '=') + 1) AS value
         FROM pg_db_role_setting s, unnest(s.setconfig) AS setting
         WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = $1)`,
        [this.template.name],
      );
      for (const { role, name, value } of rows) {
        const target = role ? `ROLE ${c.escapeIdentifier(role)} IN DATABASE ${db.name}` : `DATABASE ${db.name}`;
        await c.query(`ALTER ${target} SET ${c.escapeIdentifier(name)} = ${c.escapeLiteral(value)}`);
      }
    });
    this.databases.push(db);
    return db;
  }

  async dropDatabase(db: BenchDatabase): Promise<void> {
    if (this.keep) return;
    await this.admin((c) => c.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`));
    const i = this.databases.indexOf(db);
    if (i >= 0) this.databases.splice(i, 1);
  }

  queuePrefix(label: string): string {
    const prefix = `dstats-bench-${this.runId}-${this.uniqueLabel('queue', label)}`;
    this.prefixes.push(prefix);
    return prefix;
  }

  async tempDir(label: string): Promise<string> {
    return mkdtemp(path.join(this.tmp, `${label}-`));
  }

  /** A pool of its own on `db`. */
  open(db: BenchDatabase): Promise<Database> {
    return openDatabase({ databaseUrl: db.url, embeddedDir: path.join(this.tmp, '.unused') });
  }

  /** A stage context on `db` (this process's own pool), with the bench's drop root and queue prefix. */
  async context(db: BenchDatabase, options: { root: string; queuePrefix?: string; logLevel?: string }): Promise<{ ctx: StageContext; database: Database; config: Config }> {
    // Only the concurrency may come from the environment: it is what the workers would use.
    const env = process.env.DSTATS_CONCURRENCY ? { DSTATS_CONCURRENCY: process.env.DSTATS_CONCURRENCY } : {};
    const config = loadConfig(env, {
      root: options.root,
      settleMs: 0, // the bench writes every file before it scans
      databaseUrl: db.url,
      redisUrl: this.redisUrl,
      queuePrefix: options.queuePrefix ?? 'dstats-bench-unused',
    });
    const database = await this.open(db);
    const ctx = createStageContext(database, config, createLogger(options.logLevel ?? benchLogLevel()));
    return { ctx, database, config };
  }

  /** The environment of a `dstats` child process that serves a scenario's database, queues and drop root. */
  childEnv(db: BenchDatabase, options: { root: string; queuePrefix: string }): Record<string, string> {
    return {
      DATABASE_URL: db.url,
      REDIS_URL: this.redisUrl,
      DSTATS_QUEUE_PREFIX: options.queuePrefix,
      DSTATS_ROOT: options.root,
      DSTATS_SETTLE_MS: '0', // the bench writes every file before it scans
      LOG_LEVEL: benchLogLevel(),
    };
  }

  async cleanup(): Promise<void> {
    const errors: string[] = [];
    if (this.keep) {
      this.log(`bench --keep: databases ${this.databases.map((d) => d.name).join(', ')} and ${this.tmp} kept`);
      this.databases.length = 0;
    }
    for (const db of [...this.databases].reverse()) {
      await this.dropDatabase(db).catch((e: Error) => errors.push(`drop ${db.name}: ${e.message}`));
    }
    if (this.prefixes.length > 0) {
      const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
      try {
        await redis.connect();
        for (const prefix of this.prefixes) {
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length > 0) await redis.unlink(...keys);
          } while (cursor !== '0');
        }
      } catch (e) {
        errors.push(`redis cleanup: ${(e as Error).message}`);
      } finally {
        redis.disconnect();
      }
    }
    if (this.tmp && !this.keep) await rm(this.tmp, { recursive: true, force: true }).catch((e: Error) => errors.push(`rm ${this.tmp}: ${e.message}`));
    for (const e of errors) this.log(`bench cleanup: ${e}`);
  }
}

export function benchLogLevel(): string {
  return process.env.LOG_LEVEL ?? 'warn';
}

const run = promisify(execFile);

export async function machineInfo(adminUrl: string, redisUrl: string): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  const postgres = await (async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: string; settings: Record<string, string> }>(
        `SELECT version() AS version,
                (SELECT json_object_agg(name, current_setting(name)) FROM pg_settings
                 WHERE name IN ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'synchronous_commit', 'fsync', 'max_wal_size')) AS settings`,
      );
      return rows[0];
    } finally {
      await client.end();
    }
  })();
  const redisVersion = await (async () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    try {
      await redis.connect();
      return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? null;
    } catch {
      return null;
    } finally {
      redis.disconnect();
    }
  })();
  const gitCommit = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: path.dirname(new URL(import.meta.url).pathname) })
    .then((r) => r.stdout.trim())
    .catch(() => null);
  return {
    date: new Date().toISOString(),
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? null,
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load_average: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    postgres: postgres?.version ?? null,
    postgres_settings: postgres?.settings ?? null,
    redis: redisVersion,
    git_commit: gitCommit,
  };
}
