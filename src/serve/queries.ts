// The reads behind the status pages. Input only ever reaches SQL as bound parameters.
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/connect.js';

type Db = Database['db'];

export interface PeriodOption {
  code: string;
  end_date: string;
  /** Has rows in mart.completeness (reports were due or sent). */
  expected: boolean;
}

/**
 * Periods worth choosing: those with expected reports and those files were sent for; newest first,
 * a longer period first on the same end day (so the default is 2022S1 rather than 202206).
 */
export async function periodOptions(db: Db): Promise<PeriodOption[]> {
  // Scanning the whole completeness view is estimated so costly that Postgres JIT-compiles it, which
  // takes ~0.5 s for a 20 ms query; JIT off for this one statement.
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    const result = await sql<PeriodOption>`
      WITH expected AS (SELECT DISTINCT period_code FROM mart.completeness)
      SELECT p.code, p.end_date, p.code IN (SELECT period_code FROM expected) AS expected
      FROM core.period p
      WHERE p.code IN (SELECT period_code FROM expected UNION SELECT unnest(periods) FROM core.submission)
      ORDER BY p.end_date DESC, p.months DESC, p.code`.execute(trx);
    return result.rows;
  });
}

export async function findPeriod(db: Db, code: string) {
  return db.selectFrom('core.period').select(['code', 'end_date']).where('code', '=', code).executeTakeFirst();
}

export async function indicators(db: Db) {
  return db.selectFrom('core.indicator').select(['code', 'name_vi', 'name_en', 'uom']).orderBy('domain').orderBy('code').execute();
}

export async function completeness(db: Db, period: string) {
  const [cells, forms] = await Promise.all([
    db.selectFrom('mart.completeness').select(['source_id', 'source_name', 'form_id', 'status']).where('period_code', '=', period).orderBy('source_id').orderBy('form_id').execute(),
    db.selectFrom('core.form').select(['form_id', 'name_vi', 'name_en']).execute(),
  ]);
  return { cells, forms };
}

export async function latestSubmissions(db: Db, limit = 20) {
  return db
    .selectFrom('mart.submissions')
    .select(['submission_id', 'source_id', 'file_name', 'state', 'received_at', 'values_loaded', 'problem_count', 'first_problem', 'first_problem_vi'])
    .orderBy('received_at', 'desc')
    .orderBy('submission_id', 'desc')
    .limit(limit)
    .execute();
}

export interface ChartRow {
  unit_code: string;
  name: string;
  value: string | null;
}

/**
 * The wards and communes of the city for one indicator and period (series actual), in the official
 * order of their codes. The city is the unit most department sources report under (164 for TP Thái
 * Nguyên); when it has no children in the period (after the 2025 reorganisation) every unit of the
 * lowest level valid in the period is shown instead.
 */
export async function chartRows(db: Db, period: string, indicator: string): Promise<ChartRow[]> {
  const city = await db
    .selectFrom('core.source')
    .select('scope_unit_code')
    .where('scope', '=', 'descendants')
    .groupBy('scope_unit_code')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('scope_unit_code')
    .executeTakeFirst();
  const rows = (filter: RawBuilder<unknown>) =>
    sql<ChartRow>`
      WITH p AS (SELECT end_date FROM core.period WHERE code = ${period}),
      units AS (SELECT u.* FROM mart.dim_unit u, p
                WHERE p.end_date BETWEEN u.valid_from AND COALESCE(u.valid_to, 'infinity'))
      SELECT u.unit_code, u.name, f.value
      FROM units u
      LEFT JOIN mart.fact_value f ON f.unit_key = u.unit_key AND f.indicator_code = ${indicator}
        AND f.period_code = ${period} AND f.series = 'actual'
      WHERE ${filter}
      ORDER BY u.unit_code`.execute(db);
  if (city) {
    const children = await rows(sql`u.parent_code = ${city.scope_unit_code}`);
    if (children.rows.length > 0) return children.rows;
  }
  return (await rows(sql`u.level = (SELECT max(level) FROM units)`)).rows;
}

export async function submissionById(db: Db, id: string) {
  return db
    .selectFrom('core.submission')
    .select(['submission_id', 'source_id', 'file_name', 'state', 'stored_path', 'problem_count'])
    .where('submission_id', '=', id)
    .executeTakeFirst();
}
