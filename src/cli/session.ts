// What a command needs: configuration, a logger, the database (migrated), a stage context.
import { readCatalog } from '../catalog/files.js';
import { syncCatalog } from '../catalog/sync.js';
import { embeddedDir, loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { exists, hasInbox } from '../pipeline/drop-root.js';
import { DstatsError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { createStageContext, type StageContext } from '../pipeline/context.js';

export interface Session {
  config: Config;
  log: Logger;
  database: Database;
  ctx: StageContext;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** One-shot commands log warnings only unless LOG_LEVEL says otherwise; services log info. */
  quiet?: boolean;
  /** Only the set-up commands may make a new drop root for the embedded database (<root>/.dstats). */
  mayCreateRoot?: boolean;
}

export async function openSession(overrides: Partial<Config> = {}, options: SessionOptions = {}): Promise<Session> {
  const env = options.quiet && !process.env.LOG_LEVEL ? { ...process.env, LOG_LEVEL: 'warn' } : process.env;
  const config = loadConfig(env, overrides);
  // A mistyped --root would otherwise get an empty embedded database of its own, and a report of
  // nothing: the root must hold an inbox/ or the database already.
  if (!config.databaseUrl && !options.mayCreateRoot) {
    if (!(await hasInbox(config.root)) && !(await exists(embeddedDir(config)))) {
      throw new DstatsError('ROOT_MISSING', { root: config.root });
    }
  }
  const log = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: embeddedDir(config) });
  return { config, log, database, ctx: createStageContext(database, config, log), close: () => database.close() };
}

/** Migrations are idempotent and locked, so commands that need the schema just apply them. */
export async function ensureReady(session: Session): Promise<void> {
  await migrate(session.database);
  const units = await session.database.db.selectFrom('core.unit').select('unit_key').limit(1).execute();
  if (units.length === 0) {
    await syncCatalog(session.database, await readCatalog(session.config.catalogDir));
    session.log.info('catalogue was empty: synced from schemas/');
  }
}
