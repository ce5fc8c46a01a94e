// load_vs_copy_ratio: one long-format department file, scan → mart current, against `psql \copy`
// of the same rows (codes already resolved) into a table with the same primary key; then
// reload_vs_load_ratio: the same file corrected (every value changed), against that first load.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CatalogLookup } from '../src/catalog/lookup.js';
import type { CopyValue, Database } from '../src/db/connect.js';
import { checkFile } from '../src/normalise/check-file.js';
import type { StageContext } from '../src/pipeline/context.js';
import { psqlCopy } from './children.js';
import type { BenchEnv } from './env.js';
import { departmentFile, resolvedCopyFile, writeLines, type Universe } from './generate.js';
import { profiledPass } from './profile.js';

export interface ScenarioResult {
  figures: Record<string, number>;
  details: Record<string, unknown>;
}

export const LOAD_SOURCE = '164-CTK';

export async function checkpoint(database: Database): Promise<void> {
  // Start each timed part with no dirty pages left over from the previous one (needs superuser).
  await database.execScript('CHECKPOINT').catch(() => undefined);
}

/** Every file of the pass must have loaded: a rejected file would make the figures meaningless. */
export async function expectLoaded(database: Database, files: number, values?: number): Promise<void> {
  const rows = await database.db
    .selectFrom('core.submission')
    .select(['state', 'source_id', 'file_name', 'values_loaded', 'first_problem'])
    .execute();
  const loaded = rows.filter((r) => r.state === 'loaded');
  const bad = rows.find((r) => r.state !== 'loaded');
  if (loaded.length !== files || bad) {
    throw new Error(
      `bench: expected ${files} loaded file(s), found ${loaded.length}` +
        (bad ? `; ${bad.source_id}/${bad.file_name} is ${bad.state}: ${bad.first_problem ?? '(no problem recorded)'}` : ''),
    );
  }
  if (values !== undefined) {
    const total = loaded.reduce((a, r) => a + (r.values_loaded ?? 0), 0);
    if (total !== values) throw new Error(`bench: expected ${values} values loaded, found ${total}`);
  }
}

export async function wardUnitKeys(database: Database): Promise<Map<string, number>> {
  const rows = await database.db
    .selectFrom('core.unit')
    .select(['unit_key', 'code'])
    .where('parent_code', '=', '164')
    .where('valid_from', '<=', '2000-01-01')
    .execute();
  return new Map(rows.map((r) => [r.code, r.unit_key]));
}

export async function benchLoad(env: BenchEnv, u: Universe, rows: number, progress: (s: string) => void): Promise<ScenarioResult> {
  const db = await env.freshDatabase('load');
  const root = await env.tempDir('load');
  const { ctx, database } = await env.context(db, { root });
  try {
    const file = path.join(root, 'inbox', LOAD_SOURCE, 'lich-su-so-lieu-2000-2024.csv');
    const copyFile = path.join(await env.tempDir('copy'), 'resolved.csv');
    const fileBytes = await writeLines(file, departmentFile(u, rows));
    await writeLines(copyFile, resolvedCopyFile(u, rows, await wardUnitKeys(database)));
    progress(`load: ${rows} rows, ${(fileBytes / 2 ** 20).toFixed(1)} MB; psql \\copy baseline`);

    // Baseline: the same rows, resolved, into a table with the same primary key as core.current_value.
    await database.execScript(`CREATE TABLE public.bench_copy (
      unit_key integer NOT NULL, indicator_code text NOT NULL, period_code text NOT NULL, series text NOT NULL,
      status text NOT NULL, value numeric NOT NULL,
      PRIMARY KEY (unit_key, indicator_code, period_code, series))`);
    await checkpoint(database);
    const copy = await psqlCopy(db.url, 'public.bench_copy', copyFile);
    const copied = await database.withSession((s) => s.query<{ n: string }>('SELECT count(*)::text AS n FROM public.bench_copy'));
    if (Number(copied[0]?.n) !== rows) throw new Error(`bench: psql \\copy loaded ${copied[0]?.n} rows, expected ${rows}`);
    await database.execScript('DROP TABLE public.bench_copy');
    await checkpoint(database);

    progress(`load: psql \\copy ${copy.seconds.toFixed(2)} s; pipeline (scan → mart current)`);
    const first = await profiledPass(ctx);
    const loadSeconds = first.seconds;
    await expectLoaded(database, 1, rows);
    progress(`load: pipeline ${loadSeconds.toFixed(2)} s; parse-only pass`);

    // The JavaScript side alone: the same file read, parsed and resolved, rows thrown away.
    const parseSeconds = await parseOnly(database, await ctx.catalog(), LOAD_SOURCE);

    progress('load: the same file corrected (every value changed), scan → mart current');
    const reload = await reloadCorrected(ctx, database, path.join(root, 'inbox', LOAD_SOURCE, 'lich-su-so-lieu-2000-2024-dieu-chinh.csv'), u, rows);
    progress(`load: corrected file ${reload.seconds.toFixed(2)} s`);

    const breakdown = first.profile.toJSON();
    return {
      figures: {
        load_vs_copy_ratio: loadSeconds / copy.seconds,
        load_s: loadSeconds,
        load_copy_baseline_s: copy.seconds,
        load_rows: rows,
        load_rows_per_s: rows / loadSeconds,
        load_parse_only_s: parseSeconds,
        reload_s: reload.seconds,
        reload_vs_load_ratio: reload.seconds / loadSeconds,
      },
      details: {
        file_mb: fileBytes / 2 ** 20,
        years_rolled_up: first.years.length,
        stages: breakdown.stages,
        sql: breakdown.sql,
        reload: reload.breakdown,
        note: 'stages are exclusive wall times; normalise.copy is inside normalise (the read → parse → resolve → COPY stream); SQL times are per statement at the pg client',
      },
    };
  } finally {
    await database.close();
    await env.dropDatabase(db);
  }
}

/**
 * A department's corrected history: the same cells and statuses with every value changed, loaded
 * over the first file, so that each cell's current value is replaced (the later file wins at equal
 * status) and everything derived from it is computed again.
 */
async function reloadCorrected(ctx: StageContext, database: Database, file: string, u: Universe, rows: number) {
  await writeLines(file, departmentFile(u, rows, { revision: 1 }));
  await checkpoint(database);
  const { seconds, profile } = await profiledPass(ctx);
  await expectLoaded(database, 2, 2 * rows);
  const { cells } = await database.db
    .selectFrom('core.current_value as c')
    .innerJoin('core.submission as s', 's.submission_id', 'c.submission_id')
    .where('s.file_name', '=', path.basename(file))
    .select((eb) => eb.fn.countAll<string>().as('cells'))
    .executeTakeFirstOrThrow();
  if (Number(cells) !== rows) throw new Error(`bench: the corrected file is the current value of ${cells} cells, expected ${rows}`);
  const breakdown = profile.toJSON();
  return { seconds, breakdown: { stages: breakdown.stages, sql: breakdown.sql } };
}

/** checkFile on the archived file with a COPY that drains the rows: decode + parse + resolve only. */
async function parseOnly(database: Database, catalog: CatalogLookup, sourceId: string): Promise<number> {
  const submission = await database.db.selectFrom('core.submission').select(['stored_path', 'file_name']).executeTakeFirstOrThrow();
  const source = catalog.sources.get(sourceId);
  if (!source) throw new Error(`bench: source ${sourceId} missing from the catalogue`);
  const draining: Database = {
    ...database,
    copyInto: async (_table: string, _columns: readonly string[], rows: AsyncIterable<readonly CopyValue[]>) => {
      let n = 0;
      for await (const _row of rows) n++;
      return n;
    },
  };
  const t0 = performance.now();
  const check = await checkFile(draining, catalog, { filePath: submission.stored_path, fileName: submission.file_name, source, submissionId: '0' });
  const seconds = (performance.now() - t0) / 1000;
  if (check.problems.count > 0) throw new Error(`bench: parse-only pass found ${check.problems.count} problem(s)`);
  return seconds;
}
