// What every stage needs, passed explicitly.
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { Logger } from '../log.js';
import { CatalogLookup } from '../catalog/lookup.js';

export interface StageContext {
  database: Database;
  config: Config;
  log: Logger;
  /**
   * The catalogue, as read at most a minute ago, or read again now when `version` (the
   * core.catalog_version a caller read with its own rows) differs from the one it was read at.
   */
  catalog(version?: string): Promise<CatalogLookup>;
}

export const CATALOG_TTL_MS = 60_000;

/** A context whose catalogue is loaded once and refreshed when a sync changed it, or every minute (workers live long). */
export function createStageContext(database: Database, config: Config, log: Logger): StageContext {
  let cached: { lookup: CatalogLookup; at: number } | undefined;
  return {
    database,
    config,
    log,
    async catalog(version?: string) {
      if (!cached || Date.now() - cached.at > CATALOG_TTL_MS || (version !== undefined && version !== cached.lookup.version)) {
        cached = { lookup: await CatalogLookup.load(database.db), at: Date.now() };
      }
      return cached.lookup;
    },
  };
}
