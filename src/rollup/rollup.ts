// Stage 5, rollup: brings the derived figures up to date after loads, touching only what changed:
// claim the pending loads, derive the longer periods that contain their cells (months → quarter →
// half → year, year to date), recompute their ancestors level by level from the wards up, and,
// for periods before the 2025 reorganisation, the new units' comparable series.
// One rollup takes everything pending, so any number of loads make one rollup. It works through
// the pending years in passes of consecutive years (batches.ts), each within those years'
// partitions and in its own transaction, several at once; a year is rolled up by one pass at a
// time, with no load of it in between (year-locks.ts), and a failed pass puts its claim back.
import { sql, type Transaction } from 'kysely';
import pLimit from 'p-limit';
import type { DB } from '../db/schema.js';
import { runSql } from '../db/sql-file.js';
import { applyBulkSettings, withHashJoinsOnly } from '../db/bulk-settings.js';
import { yearBounds } from '../db/period-bounds.js';
import { lockYearsForRollup } from '../db/year-locks.js';
import type { StageContext } from '../pipeline/context.js';
import { passCellLimit, rollupBatches, type YearCells } from './batches.js';
import { claimRebuildMarks, rebuildMarkedYears } from './rebuild.js';
import { claimStaleComparables, markStaleComparables } from './stale-comparables.js';

/** The years rolled up, the reported cells rolled up (loaded, or marked for a rebuild), and the computed values written (changed or new). */
export interface RollupResult {
  years: number[];
  changed: number;
  derived: number;
  aggregated: number;
  comparable: number;
  /** Years marked for their comparable series to be computed again (new shares), by this rollup. */
  staleMarked: number;
}

const BULK_CELLS = 5_000;
// Consecutive claimed years are rolled up in one pass up to this many cells (see batches.ts).
const PASS_CELLS = 50_000;

// Longer periods are derived from shorter ones, so the order matters.
const DERIVATION_ORDER = ['quarter', 'half', 'year', 'ytd'] as const;

// Work tables are analysed for their row counts and distinct counts, which a sample of 3,000 rows
// (statistics target 10) gives about as well as the default 30,000, in a tenth of the time (a
// 100,000-row rollup_child: 6 ms instead of 50–80). A pass's transaction uses that target; value
// partitions are analysed with the server's, since their statistics outlive the pass and plan the
// warehouse queries too.
const WORK_TABLE_STATISTICS = '10';
const useWorkTableStatistics = (trx: Transaction<DB>) =>
  sql`SELECT set_config('default_statistics_target', ${WORK_TABLE_STATISTICS}, true)`.execute(trx);

async function createWorkTables(trx: Transaction<DB>) {
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_claimed (year smallint, submission_id bigint) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_changed (
    unit_key integer, indicator_code text, period_code text, series text) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS derive_target (
    unit_key integer, indicator_code text, series text, period_code text) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_target (
    unit_key integer, indicator_code text, series text, period_code text, level smallint) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_child (
    parent_key integer, indicator_code text, series text, period_code text, child_key integer,
    aggregation text, weight_indicator text) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS crosswalk_share (
    old_code text, new_key integer, effective_date date, share numeric) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS comparable_target (
    new_key integer, indicator_code text, series text, period_code text, end_date date) ON COMMIT DROP`.execute(trx);
  await sql`CREATE TEMP TABLE IF NOT EXISTS comparable_changed (
    unit_key integer, indicator_code text, period_code text, series text) ON COMMIT DROP`.execute(trx);
}

// Work tables get statistics once filled, or the planner takes them for empty and picks nested
// loops over thousands of rows.
type WorkTable = 'rollup_claimed' | 'rollup_changed' | 'derive_target' | 'rollup_target' | 'rollup_child' | 'crosswalk_share' | 'comparable_target' | 'comparable_changed';
const analyse = (trx: Transaction<DB>, table: WorkTable) =>
  sql`ANALYZE ${sql.table(table)}`.execute(trx);

// The value tables, partitioned by year (migration 007); a rollup pass reads and writes only the
// partitions of its years.
const VALUE_TABLES = ['current_value', 'derived_value', 'aggregate_value', 'comparable_value'] as const;
type ValueTable = (typeof VALUE_TABLES)[number];
const partitionOf = (table: ValueTable, year: number) => `${table}_y${year}`;

async function analysePartitions(trx: Transaction<DB>, partitions: readonly string[]) {
  if (partitions.length === 0) return;
  await sql`SELECT set_config('default_statistics_target', reset_val, true) FROM pg_settings WHERE name = 'default_statistics_target'`.execute(trx);
  for (const partition of partitions) await sql`ANALYZE ${sql.table(`core.${partition}`)}`.execute(trx);
  await useWorkTableStatistics(trx);
}

// A year's value partition also needs fresh statistics after a bulk change in this transaction (a
// first load of years of history): taken when it was nearly empty, they would make every later
// lookup a scan.
async function analyseIfBulk(trx: Transaction<DB>, rows: number, table: ValueTable, years: readonly number[]) {
  if (rows < BULK_CELLS) return;
  await analysePartitions(trx, years.map((year) => partitionOf(table, year)));
}

// Loads committed since the last ANALYZE can have grown a year's partitions many times over (a
// new year's partitions start empty and unanalysed); the planner then takes them for small and
// picks plans that rescan thousands of rows. Analyse what changed by more than autovacuum's
// threshold (50 rows and a tenth), but now rather than up to a minute later. A load that has just
// committed may not be counted yet, so a bulk claim analyses the years' current values whatever
// the counters say.
async function analyseGrownPartitions(trx: Transaction<DB>, years: readonly number[], loadedCells: number) {
  const partitions = years.flatMap((year) => VALUE_TABLES.map((t) => partitionOf(t, year)));
  const current = years.map((year) => partitionOf('current_value', year));
  const { rows } = await sql<{ relname: string }>`
    SELECT relname FROM pg_stat_user_tables
    WHERE schemaname = 'core' AND relname = ANY(${partitions}::text[])
      AND (n_mod_since_analyze > 50 + 0.1 * n_live_tup
           OR (relname = ANY(${current}::text[]) AND ${loadedCells}::int >= ${BULK_CELLS}::int))`.execute(trx);
  await analysePartitions(trx, rows.map((r) => r.relname));
}

// derive_periods.sql and crosswalk_comparable.sql recompute cells (all of them go on to the next
// step) but write only the values that changed.
async function runCounted(trx: Transaction<DB>, name: 'derive_periods' | 'crosswalk_comparable', params: readonly unknown[]) {
  const { rows } = await runSql<{ recomputed: number; written: number }>(trx, name, params);
  return rows[0]!;
}

// A bulk pass finds its periods to derive and sums its comparable series with hash joins only:
// the planner sorted a year's rows for merge joins, or probed an index per row, instead
// (bulk-settings.ts; docs/performance.md). Small passes keep its choice.
const hashedWhenBulk = <T>(trx: Transaction<DB>, rows: number, run: () => Promise<T>): Promise<T> =>
  rows >= BULK_CELLS ? withHashJoinsOnly(trx, run) : run();

const NOTHING: Omit<RollupResult, 'years'> = { changed: 0, derived: 0, aggregated: 0, comparable: 0, staleMarked: 0 };

// A round's passes can mark earlier years for new shares (stale-comparables.ts); those marks need
// one more round, whose own passes mark nothing new (they add no new unit's population).
const MAX_ROUNDS = 3;

function addUp(total: RollupResult, done: RollupResult): void {
  total.years = [...new Set([...total.years, ...done.years])].sort((a, b) => a - b);
  total.changed += done.changed;
  total.derived += done.derived;
  total.aggregated += done.aggregated;
  total.comparable += done.comparable;
  total.staleMarked += done.staleMarked;
}

/**
 * Rolls up every pending load. The pending years are split into passes (batches.ts), and up to
 * `rollupConcurrency` passes run at once, each in its own transaction on its own connection: a
 * year's derived figures depend only on that year's cells, so passes never touch the same rows,
 * and a bulk rollup of years of history uses every core of the database server instead of one.
 * `onPassDone` hears each pass's years as soon as it commits (the mart is current for them even if
 * a later pass fails); the first failure is thrown once every pass has ended.
 */
export async function rollupPending(ctx: StageContext, onPassDone: (years: number[]) => Promise<void> = async () => undefined): Promise<RollupResult> {
  const total: RollupResult = { years: [], ...NOTHING };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const done = await rollupRound(ctx, onPassDone);
    addUp(total, done);
    if (done.staleMarked === 0) break;
  }
  if (total.changed > 0) ctx.log.info(total, 'rollup done');
  return total;
}

/** One plan of the waiting years, rolled up in passes. */
async function rollupRound(ctx: StageContext, onPassDone: (years: number[]) => Promise<void>): Promise<RollupResult> {
  const { rows: plan } = await runSql<YearCells>(ctx.database.db, 'rollup_plan');
  // PGlite has one connection: its transactions cannot overlap.
  const concurrency = ctx.database.kind === 'pglite' ? 1 : ctx.config.rollupConcurrency;
  const passes = rollupBatches(plan, passCellLimit(plan, PASS_CELLS, concurrency));
  const limit = pLimit(concurrency);
  const settled = await Promise.allSettled(
    passes.map((years) =>
      limit(async () => {
        const done = await rollupPass(ctx, years);
        if (done.years.length > 0) await onPassDone(done.years);
        return done;
      }),
    ),
  );
  const total: RollupResult = { years: [], ...NOTHING };
  for (const outcome of settled) if (outcome.status === 'fulfilled') addUp(total, outcome.value);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return total;
}

/**
 * One pass in one transaction: lock its years against loads and other passes, claim their
 * pending loads and roll them up. Another rollup may have claimed them since the plan was read:
 * then there is nothing left to do.
 */
async function rollupPass(ctx: StageContext, years: readonly number[]): Promise<RollupResult> {
  return ctx.database.db.transaction().execute(async (trx) => {
    await lockYearsForRollup(trx, years);
    await useWorkTableStatistics(trx);
    await createWorkTables(trx);
    const claimed = (await runSql<{ year: number }>(trx, 'rollup_claim', [years[0], years.at(-1)! + 1])).rows.map((r) => r.year);
    // After a change of the catalogue's rules, some indicators are computed from scratch (rebuild.ts).
    const rebuild = await claimRebuildMarks(trx, years);
    // New shares of split old units: their cells join the changed ones (stale-comparables.ts).
    const stale = await claimStaleComparables(trx, years);
    if (claimed.length === 0 && rebuild.length === 0 && stale.years.length === 0) return { years: [], ...NOTHING };
    await analyse(trx, 'rollup_claimed');
    const loaded = (await runSql(trx, 'rollup_claimed_cells', yearBounds(years))).affected;
    const changed = loaded + (await rebuildMarkedYears(trx, rebuild)) + stale.cells;
    await applyBulkSettings(trx, changed, ctx.config.workMem);
    const rolledUp = [...new Set([...claimed, ...rebuild.map((m) => m.year), ...stale.years])].sort((a, b) => a - b);
    return { years: rolledUp, changed, ...(await rollUpChangedCells(trx, years, { changed, loaded })) };
  });
}

/**
 * The derived figures of a pass's changed cells (in rollup_changed): longer periods, ancestors,
 * comparable series. `cells.loaded`: those the claimed loads wrote (a rebuild's cells did not
 * change the current values, so they are no reason to analyse them).
 */
async function rollUpChangedCells(
  trx: Transaction<DB>,
  years: readonly number[],
  cells: { changed: number; loaded: number },
): Promise<Omit<RollupResult, 'years' | 'changed'>> {
  const bounds = yearBounds(years);
  await analyse(trx, 'rollup_changed');
  await analyseGrownPartitions(trx, years, cells.loaded);
  await hashedWhenBulk(trx, cells.changed, () => runSql(trx, 'derive_targets', bounds));
  await analyse(trx, 'derive_target');
  let derived = 0;
  let derivedCells = 0;
  for (const type of DERIVATION_ORDER) {
    const counts = await runCounted(trx, 'derive_periods', [type, ...bounds]);
    await analyseIfBulk(trx, counts.written, 'derived_value', years);
    derived += counts.written;
    derivedCells += counts.recomputed;
  }

  // Derived cells were added to the changed ones.
  if (derivedCells > 0) await analyse(trx, 'rollup_changed');
  await runSql(trx, 'rollup_targets');
  await analyse(trx, 'rollup_target');
  const levels = await sql<{ level: number }>`SELECT DISTINCT level FROM rollup_target ORDER BY level DESC`.execute(trx);
  let aggregated = 0;
  for (const { level } of levels.rows) {
    await sql`TRUNCATE rollup_child`.execute(trx);
    await runSql(trx, 'rollup_children', [level]);
    await analyse(trx, 'rollup_child');
    const written = (await runSql(trx, 'rollup_level', bounds)).affected;
    await analyseIfBulk(trx, written, 'aggregate_value', years);
    aggregated += written;
  }
  // A new unit's population changes the shares of the old units split into it, whose periods
  // (before the reorganisation, in other years) are marked for their next pass.
  const staleMarked = await markStaleComparables(trx);
  // Periods before a reorganisation also feed the new units' comparable series.
  let comparable = 0;
  const comparableCells = (await runSql(trx, 'crosswalk_targets')).affected;
  if (comparableCells > 0) {
    await analyse(trx, 'crosswalk_share');
    await analyse(trx, 'comparable_target');
    const counts = await hashedWhenBulk(trx, comparableCells, () => runCounted(trx, 'crosswalk_comparable', bounds));
    comparable = counts.written;
    // The parents sum every new child's comparable value: with the partition taken for nearly
    // empty, each target cell met every child of the province (290 ms a year for 21,576 cells).
    await analyseIfBulk(trx, counts.written, 'comparable_value', years);
    if (counts.recomputed > 0) await runSql(trx, 'crosswalk_comparable_parents', bounds);
  }
  return { derived, aggregated, comparable, staleMarked };
}

/** Whether loads, or a change of the catalogue's rules, wait for a rollup (one-pass runs and recovery). */
export async function rollupIsPending(ctx: StageContext): Promise<boolean> {
  const { rows } = await sql<{ waiting: boolean }>`
    SELECT EXISTS (SELECT 1 FROM core.rollup_pending) OR EXISTS (SELECT 1 FROM core.rollup_rebuild)
        OR EXISTS (SELECT 1 FROM core.comparable_stale) AS waiting`.execute(ctx.database.db);
  return rows[0]!.waiting;
}
