// A migrated, catalogued database with a stage context, for tests that drive the stages directly.
import { sql } from 'kysely';
import { readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import { normaliseSubmission } from '../../src/normalise/stage.js';
import { createStageContext, type StageContext } from '../../src/pipeline/context.js';
import { intakeFile } from '../../src/pipeline/intake.js';
import type { Dispatcher } from '../../src/pipeline/steps.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { dropFile } from './drop-root.js';
import { createTestDatabase, tempDir, type TestDatabase } from './services.js';

export async function preparedContext(options: { databaseUrl?: string; root: string; embeddedDir?: string; config?: Partial<Config> }): Promise<{ ctx: StageContext; database: Database }> {
  const config = loadConfig({}, { root: options.root, settleMs: 0, databaseUrl: options.databaseUrl, ...options.config });
  const database = await openDatabase({ databaseUrl: options.databaseUrl, embeddedDir: options.embeddedDir ?? `${options.root}/.dstats` });
  await migrate(database);
  await syncCatalog(database, await readCatalog());
  return { ctx: createStageContext(database, config, createLogger('silent')), database };
}

/** What useStageContext gives a test file once its beforeAll ran. */
export interface StageFixture {
  ctx: StageContext;
  database: Database;
  /** the drop root */
  root: string;
}

/**
 * For the tests of one file: a database of its own, migrated and catalogued, a drop root and a
 * stage context, made before its tests and removed after them.
 */
export function useStageContext(label: string, config: Partial<Config> = {}): StageFixture {
  const fixture = {} as StageFixture;
  let tdb: TestDatabase | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    dir = await tempDir(label);
    fixture.root = dir.dir;
    Object.assign(fixture, await preparedContext({ databaseUrl: tdb.url, root: dir.dir, config }));
  });
  afterAll(async () => {
    await fixture.database?.close();
    await tdb?.drop();
    await dir?.remove();
  });
  return fixture;
}

/** mart.fact_value rows as plain objects, for assertions. */
export async function factValues(database: Database, filter: { unit?: string; indicator?: string; period?: string } = {}) {
  let q = database.db.selectFrom('mart.fact_value').selectAll();
  if (filter.unit) q = q.where('unit_code', '=', filter.unit);
  if (filter.indicator) q = q.where('indicator_code', '=', filter.indicator);
  if (filter.period) q = q.where('period_code', '=', filter.period);
  return q.orderBy('unit_code').orderBy('indicator_code').orderBy('period_code').orderBy('series').execute();
}

/**
 * What BI tools see, without ids and times: every value in the mart (of `year`, if given),
 * reported and computed, with how it was computed and from how many units.
 */
export async function martRows(database: Database, year?: number) {
  const ofYear = year === undefined ? sql`true` : sql`period_code LIKE ${`${year}%`}`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT unit_code, indicator_code, period_code, series, value::text, status, is_derived, derivation, reporting_units, expected_units
    FROM mart.fact_value WHERE ${ofYear}
    UNION ALL
    SELECT unit_code, indicator_code, period_code, series, value::text, status, is_derived, derivation, old_units, NULL
    FROM mart.fact_comparable WHERE ${ofYear}
    ORDER BY 1, 2, 3, 4, 8`.execute(database.db);
  return rows;
}

/** The city's figures of the 164-NV and 164-TCKH samples: the department's own PAR Index and the wards' revenue summed. */
export async function expectCityFiguresOfTwoSamples(database: Database): Promise<void> {
  const [par] = await factValues(database, { unit: '164', indicator: 'PAR_INDEX_SCORE', period: '2022' });
  expect(par?.value).toBe('86.42');
  const [city] = await factValues(database, { unit: '164', indicator: 'BUDGET_REVENUE', period: '2022S1' });
  expect(city?.value).toBe('283.10');
}

export interface ComputedRow {
  kind: 'derived' | 'aggregate' | 'comparable';
  unit_code: string;
  indicator_code: string;
  period_code: string;
  series: string;
  value: string;
  status: string;
  /** What the value records of its sources: parts (derived), reporting/expected units (aggregate), old units (comparable). */
  counts: string;
  /** xmin: changes whenever the row is written, so it tells a row left alone from one rewritten as it was. */
  version: string;
}

/** Every computed value (of one indicator, if given), by unit code, with its row version. */
export async function computedValues(database: Database, indicator?: string): Promise<ComputedRow[]> {
  const ofIndicator = indicator === undefined ? sql`true` : sql`indicator_code = ${indicator}`;
  const { rows } = await sql<ComputedRow>`
    SELECT v.kind, u.code AS unit_code, v.indicator_code, v.period_code, v.series, v.value::text AS value, v.status, v.counts,
           v.xmin::text AS version
    FROM (SELECT 'derived' AS kind, unit_key, indicator_code, period_code, series, value, status, parts::text AS counts, xmin
          FROM core.derived_value WHERE ${ofIndicator}
          UNION ALL
          SELECT 'aggregate', unit_key, indicator_code, period_code, series, value, status, reporting_units || '/' || expected_units, xmin
          FROM core.aggregate_value WHERE ${ofIndicator}
          UNION ALL
          SELECT 'comparable', unit_key, indicator_code, period_code, series, value, status, old_units::text, xmin
          FROM core.comparable_value WHERE ${ofIndicator}) v
    JOIN core.unit u ON u.unit_key = v.unit_key
    ORDER BY v.kind, u.code, v.indicator_code, v.period_code, v.series`.execute(database.db);
  return rows;
}

/** Cells the mart shows more than one value for (it must show none: one value per cell, by precedence). */
export async function cellsWithTwoValues(database: Database): Promise<string[]> {
  const rows = await database.db
    .selectFrom('mart.fact_value')
    .select(['unit_code', 'indicator_code', 'period_code', 'series'])
    .groupBy(['unit_key', 'unit_code', 'indicator_code', 'period_code', 'series'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return rows.map((r) => `${r.unit_code}|${r.indicator_code}|${r.period_code}|${r.series}`);
}

/** The header of a department's long-format file (unit;indicator;period;value;uom;series;status). */
export const LONG_HEADER = 'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;Loại số liệu;Tình trạng';

/** For tests that run each step themselves: the hand-overs to the next stage go nowhere. */
export const nowhere: Dispatcher = { intake: async () => {}, normalise: async () => {}, load: async () => {}, rollup: async () => {}, publish: async () => {} };

/** Drops a file into a source's folder, takes it in and stages it; returns its submission id. Throws unless it reached 'staged'. */
export async function stageFile(fixture: StageFixture, source: string, fileName: string, content: string | Buffer): Promise<string> {
  await dropFile(fixture.root, source, fileName, content);
  const intake = await intakeFile(fixture.ctx, { sourceId: source, fileName });
  if (intake.outcome !== 'registered') throw new Error(`${source}/${fileName} not registered: ${intake.outcome}`);
  const staged = await normaliseSubmission(fixture.ctx, intake.submissionId);
  if (staged.outcome !== 'staged') throw new Error(`${source}/${fileName} not staged: ${JSON.stringify(staged)}`);
  return intake.submissionId;
}

/** Stages a long-format ward file (indicator;period;value;unit lines); returns its submission id. */
export function stageWardFile(fixture: StageFixture, ward: string, fileName: string, lines: string[]): Promise<string> {
  return stageFile(fixture, ward, fileName, ['Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính', ...lines].join('\n') + '\n');
}
