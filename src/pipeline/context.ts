// What every stage needs, passed explicitly.
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { Logger } from '../log.js';
import { CatalogLookup } from '../catalog/lookup.js';

export interface StageContext {
  database: Database;
  config: Config;
  log: Logger;
  catalog(): Promise<CatalogLookup>;
}

const CATALOG_TTL_MS = 60_000;

/** A context whose catalogue is loaded once and refreshed at most every minute (workers live long). */
export function createStageContext(database: Database, config: Config, log: Logger): StageContext {
  let cached: { lookup: CatalogLookup; at: number } | undefined;
  return {
    database,
    config,
    log,
    async catalog() {
      if (!cached || Date.now() - cached.at > CATALOG_TTL_MS) {
        cached = { lookup: await CatalogLookup.load(database.db), at: Date.now() };
      }
      return cached.lookup;
    },
  };
}
