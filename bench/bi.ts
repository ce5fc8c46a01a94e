// bi_query_ms: the queries BI tools typically send to the mart (those of docs/warehouse.md), median
// of 5 runs each, on the rollup scenario's warehouse (after its full rollup).
import { performance } from 'node:perf_hooks';
import type { Catalog } from '../src/catalog/model.js';
import type { Database } from '../src/db/connect.js';
import { CITY, FIRST_YEAR, type Universe } from './generate.js';
import type { ScenarioResult } from './load.js';

export const BI_RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

export function biQueries(u: Universe, catalog: Catalog): Record<string, { text: string; params: unknown[] }> {
  const forms = ['long', ...catalog.forms.map((f) => f.formId)];
  // The ward and the half-year the single-unit and single-period queries ask about, as the docs' examples do.
  const ward = u.wards[Math.min(3, u.wards.length - 1)]!;
  const half = '2022S1';
  return {
    // An indicator across all wards of a period (the README's example).
    indicator_by_ward: {
      text: `SELECT u.name, f.value, f.status, f.is_derived
             FROM mart.fact_value f JOIN mart.dim_unit u ON u.unit_code = f.unit_code
             JOIN mart.dim_period p ON p.period_code = f.period_code
             WHERE f.indicator_code = $1 AND f.period_code = $2 AND f.series = 'actual'
               AND u.parent_code = '164' AND p.end_date BETWEEN u.valid_from AND COALESCE(u.valid_to, 'infinity')
             ORDER BY u.name`,
      params: [u.indicators[0]!.code, `${FIRST_YEAR}S1`],
    },
    // One ward's indicators over the years.
    ward_history: {
      text: `SELECT f.indicator_code, p.year, f.value, f.status, f.is_derived
             FROM mart.fact_value f JOIN mart.dim_period p ON p.period_code = f.period_code
             WHERE f.unit_code = $1 AND p.type = 'year' AND f.series = 'actual'
             ORDER BY f.indicator_code, p.year`,
      params: [ward],
    },
    // The city's half-year report: value, growth on a year earlier, attainment of the plan.
    city_report: {
      text: `SELECT i.name_vi, g.value, round(g.yoy_pct + 100, 2) AS pct_of_last_year,
                    round(pp.pct_of_plan_province, 2) AS pct_of_plan
             FROM mart.growth g
             LEFT JOIN mart.plan_progress pp USING (unit_key, unit_code, indicator_code, period_code)
             JOIN mart.dim_indicator i ON i.indicator_code = g.indicator_code
             WHERE g.unit_code = $1 AND g.period_code = $2 AND g.series = 'actual'`,
      params: [CITY, half],
    },
    // Where a number came from: every figure loaded for one cell, with its file and line.
    value_history: {
      text: `SELECT h.value, h.status, h.source_id, h.file_name, h.row_no, h.loaded_at, h.is_current
             FROM mart.observation_history h
             WHERE h.unit_code = $1 AND h.indicator_code = $2 AND h.period_code = $3
             ORDER BY h.loaded_at`,
      params: [ward, u.indicators[0]!.code, half],
    },
    // The resolution targets and how far each has come.
    target_progress: {
      text: `SELECT indicator_code, metric, comparator, threshold, metric_value, latest_year, status
             FROM mart.target_progress ORDER BY status, indicator_code`,
      params: [],
    },
    // Completeness of a period, sources down, forms across.
    completeness_pivot: {
      text: `SELECT c.source_id, c.source_name,
                    ${forms.map((f) => `max(c.status) FILTER (WHERE c.form_id = ${quoteLiteral(f)}) AS ${quoteIdent(f)}`).join(',\n                    ')}
             FROM mart.completeness c
             WHERE c.period_code = $1
             GROUP BY c.source_id, c.source_name
             ORDER BY c.source_id`,
      params: [half],
    },
  };
}

export async function benchBiQueries(database: Database, u: Universe, catalog: Catalog): Promise<ScenarioResult> {
  const figures: Record<string, number> = {};
  const details: Record<string, unknown> = { runs: BI_RUNS };
  await database.withSession(async (session) => {
    // As BI tools run them: with the settings of the role they log in as (dstats_bi), which a
    // SET ROLE would not apply.
    const settings = await session.query<{ name: string; value: string }>(`
      SELECT split_part(setting, '=', 1) AS name, substr(setting, strpos(setting, '=') + 1) AS value
      FROM pg_db_role_setting s, unnest(s.setconfig) AS setting
      WHERE s.setrole = 'dstats_bi'::regrole
        AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))`);
    for (const { name, value } of settings) await session.query('SELECT set_config($1, $2, false)', [name, value]);
    details.role_settings = Object.fromEntries(settings.map((s) => [s.name, s.value]));
    for (const [name, q] of Object.entries(biQueries(u, catalog))) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < BI_RUNS; i++) {
        const t0 = performance.now();
        rows = (await session.query(q.text, q.params)).length;
        times.push(performance.now() - t0);
      }
      figures[`bi_query_ms_${name}`] = median(times);
      details[name] = { rows, runs_ms: times.map((t) => Math.round(t * 100) / 100), params: q.params };
    }
  });
  return { figures, details };
}
