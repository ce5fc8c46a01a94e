// incremental_rollup_ratio: on a warehouse of N observations, the time to bring the mart current
// after one more ward file (scan → intake → normalise → load → rollup → publish), divided by a full
// rollup (every loaded cell marked for a rollup, then one rollup of everything).
//
// The warehouse is filled directly (COPY into core.observation, then core.current_value from it):
// the same rows the pipeline would have written for ward submissions, without spending the bench's
// time loading them. Its derived and rolled-up values come from a first full rollup; the ratio's
// baseline is a second full rollup, which, like the incremental one, finds them already there.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CopyValue, Database } from '../src/db/connect.js';
import type { StageContext } from '../src/pipeline/context.js';
import { markEverythingForRollup, markForRebuild } from '../src/rollup/rebuild.js';
import { rollupPending } from '../src/rollup/rollup.js';
import { benchBiQueries } from './bi.js';
import type { BenchEnv } from './env.js';
import { amount, cells, FIRST_YEAR, wardFile, writeLines, type Universe } from './generate.js';
import { checkpoint, expectLoaded, wardUnitKeys, type ScenarioResult } from './load.js';
import { Profile, profiledPass, recordSql } from './profile.js';
import { ROWS_PER_SMALL_FILE } from './small-files.js';

async function fillWarehouse(database: Database, u: Universe, observations: number): Promise<number> {
  const unitKeys = await wardUnitKeys(database);
  // One submission per ward and year, as if each ward had sent its year in one file.
  const pairs: { unit: string; year: number }[] = [];
  const seen = new Set<string>();
  for (const c of cells(u, observations)) {
    const key = `${c.unit}|${c.year}`;
    if (!seen.has(key)) {
      seen.add(key);
      pairs.push({ unit: c.unit, year: c.year });
    }
  }
  const submissions = await database.withSession((s) =>
    s.query<{ submission_id: string; source_id: string; year: number }>(
      `INSERT INTO core.submission (source_id, file_name, sha256, size_bytes, state, stored_path, received_at, finished_at,
                                    reported_at, rows_read, values_staged, values_loaded, periods)
       SELECT t.unit, 'so-lieu-' || t.year || '.csv', md5('bench:' || t.unit || ':' || t.year) || md5(t.unit || ':' || t.year || ':bench'),
              0, 'loaded', '/dev/null', make_timestamptz(t.year + 1, 1, 3, 9, 0, 0, 'Asia/Ho_Chi_Minh'),
              make_timestamptz(t.year + 1, 1, 3, 9, 0, 0, 'Asia/Ho_Chi_Minh'), make_timestamptz(t.year + 1, 1, 3, 9, 0, 0, 'Asia/Ho_Chi_Minh'), 0, 0, 0,
              ARRAY(SELECT p.code FROM core.period p WHERE p.year = t.year ORDER BY p.code)
       FROM unnest($1::text[], $2::int[]) AS t(unit, year)
       RETURNING submission_id, source_id, substr(file_name, 9, 4)::int AS year`,
      [pairs.map((p) => p.unit), pairs.map((p) => p.year)],
    ),
  );
  const submissionOf = new Map(submissions.map((s) => [`${s.source_id}|${s.year}`, s.submission_id]));
  const rowNo = new Map<string, number>();
  async function* rows(): AsyncGenerator<readonly CopyValue[]> {
    for (const c of cells(u, observations)) {
      const key = `${c.unit}|${c.year}`;
      const n = (rowNo.get(key) ?? 1) + 1;
      rowNo.set(key, n);
      yield [submissionOf.get(key)!, n, unitKeys.get(c.unit)!, c.indicator.code, c.period, c.series.code, 'estimate', amount(c.index, c.indicator.integer).plain];
    }
  }
  await database.withSession((s) => s.query('SELECT core.ensure_year_partitions($1::int[])', [[...new Set(pairs.map((p) => p.year))]]));
  const copied = await database.copyInto('core.observation', ['submission_id', 'row_no', 'unit_key', 'indicator_code', 'period_code', 'series', 'status', 'value'], rows());
  await database.execScript(`
    INSERT INTO core.current_value (unit_key, indicator_code, period_code, series, value, status, status_rank, observation_id, submission_id, updated_at)
    SELECT unit_key, indicator_code, period_code, series, value, status, 1, observation_id, submission_id, now() FROM core.observation;
    UPDATE core.submission s SET rows_read = n, values_staged = n, values_loaded = n
    FROM (SELECT submission_id, count(*)::int AS n FROM core.observation GROUP BY submission_id) o WHERE o.submission_id = s.submission_id;
    ANALYZE;`);
  return copied;
}

/** The brief's full rollup: every loaded cell marked for a rollup, then one rollup of everything. */
async function fullRollup(ctx: StageContext): Promise<{ seconds: number; years: number }> {
  const t0 = performance.now();
  await markEverythingForRollup(ctx.database.db);
  const { years } = await rollupPending(ctx);
  return { seconds: (performance.now() - t0) / 1000, years: years.length };
}

/**
 * What a change of one indicator's rules costs (`catalog sync` marks it): its computed values in
 * every year deleted and computed again. The rules stay as they are, so the figures come out the same.
 */
async function rebuildOneIndicator(ctx: StageContext, indicator: string): Promise<number> {
  const t0 = performance.now();
  await markForRebuild(ctx.database.db, [indicator]);
  await rollupPending(ctx);
  return (performance.now() - t0) / 1000;
}

export async function benchRollup(env: BenchEnv, u: Universe, observations: number, progress: (s: string) => void): Promise<{ rollup: ScenarioResult; bi: ScenarioResult }> {
  const db = await env.freshDatabase('rollup');
  const root = await env.tempDir('rollup');
  const { ctx, database } = await env.context(db, { root });
  try {
    progress(`rollup: filling a warehouse of ${observations} observations`);
    const filled = await fillWarehouse(database, u, observations);
    const submissions = Number((await database.withSession((s) => s.query<{ n: string }>('SELECT count(*)::text AS n FROM core.submission')))[0]?.n);

    const initialProfile = new Profile();
    recordSql(initialProfile);
    const initial = await fullRollup(ctx).finally(() => recordSql(null));
    await database.execScript('ANALYZE');
    await checkpoint(database);
    progress(`rollup: first full rollup ${initial.seconds.toFixed(2)} s (${initial.years} years); one more ward file`);

    // One more ward file: a ward's official figures for a month it had sent as estimates.
    const ward = u.wards[Math.min(3, u.wards.length - 1)]!;
    const period = `${FIRST_YEAR}06`;
    await writeLines(path.join(root, 'inbox', ward, `bao-cao-chinh-thuc-${period}.csv`), wardFile(u, { period, rows: ROWS_PER_SMALL_FILE, seed: 999_983, status: 'official' }));
    const { profile, seconds: incremental } = await profiledPass(ctx);
    await expectLoaded(database, submissions + 1);
    await checkpoint(database);

    progress(`rollup: one more ward file ${incremental.toFixed(3)} s; second full rollup`);
    const fullProfile = new Profile();
    recordSql(fullProfile);
    const full = await fullRollup(ctx).finally(() => recordSql(null));
    progress(`rollup: full rollup ${full.seconds.toFixed(2)} s; BI queries`);

    // On a pool of their own, as a BI tool holds one: a connection that has just run the rollup's
    // large hashes plans them up to four times slower, since the backend faults the planner's
    // memory in again (docs/performance-log.md, 2026-12-03 evening).
    const biDatabase = await env.open(db);
    const bi = await benchBiQueries(biDatabase, u, env.catalog).finally(() => biDatabase.close());
    const indicator = u.indicators[0]!.code;
    progress(`rollup: rebuild of one indicator (${indicator}) after a change of its rules`);
    await checkpoint(database);
    const rebuildProfile = new Profile();
    recordSql(rebuildProfile);
    const rebuild = await rebuildOneIndicator(ctx, indicator).finally(() => recordSql(null));
    const breakdown = profile.toJSON();
    return {
      rollup: {
        figures: {
          incremental_rollup_ratio: incremental / full.seconds,
          incremental_s: incremental,
          incremental_rollup_stage_s: profile.seconds('rollup') + profile.seconds('publish'),
          full_rollup_s: full.seconds,
          full_rollup_initial_s: initial.seconds,
          warehouse_observations: filled,
          rebuild_one_indicator_s: rebuild,
          rebuild_one_indicator_ratio: rebuild / full.seconds,
          warehouse_indicators: u.indicators.length,
        },
        details: {
          years: full.years,
          incremental_stages: breakdown.stages,
          incremental_sql: breakdown.sql,
          full_rollup_sql: fullProfile.toJSON().sql,
          initial_full_rollup_sql: initialProfile.toJSON().sql,
          rebuild_one_indicator: indicator,
          rebuild_one_indicator_sql: rebuildProfile.toJSON().sql,
        },
      },
      bi,
    };
  } finally {
    await database.close();
    await env.dropDatabase(db);
  }
}
