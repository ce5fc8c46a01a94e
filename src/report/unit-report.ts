// `dstats report`: one unit's figures for a period, with growth and plan attainment, laid out like
// the city's own reports ("1.348,9 tỷ đồng, bằng 107,22% so với cùng kỳ, bằng 51% KH tỉnh giao").
import { sql, type Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { DB } from '../db/schema.js';
import { DstatsError } from '../errors.js';
import { canonicalDecimal, formatNumber, type NumberConvention } from '../normalise/numbers.js';
import { formatPeriod, periodInfo } from '../normalise/periods.js';
import { describeUom } from '../normalise/uom.js';
import { excelSafe } from './excel-safe.js';

export interface ReportLine {
  indicator: string;
  nameVi: string;
  nameEn: string;
  uom: string;
  value: string;
  status: string;
  derivation: string;
  reportingUnits: number | null;
  expectedUnits: number | null;
  valueLastYear: string | null;
  yoyPct: string | null;
  planProvince: string | null;
  pctOfPlanProvince: string | null;
  planCity: string | null;
  pctOfPlanCity: string | null;
}

export interface UnitReport {
  unit: { code: string; name: string } | null;
  period: string;
  lines: ReportLine[];
}

/** Why a report has no unit: the periods its code is valid in, or the code with its leading zeros. */
export async function unitNotInPeriod(db: Kysely<DB>, unitCode: string, period: string): Promise<DstatsError> {
  const padded = /^\d{1,4}$/.test(unitCode) ? unitCode.padStart(5, '0') : unitCode;
  const versions = await db.selectFrom('core.unit').select(['code', 'name', 'valid_from', 'valid_to'])
    .where('code', 'in', [unitCode, padded]).orderBy('valid_from').execute();
  const known = versions.filter((u) => u.code === unitCode)
    .map((u) => `${u.name} ${dateOf(u.valid_from)} – ${u.valid_to ? dateOf(u.valid_to) : '…'}`).join('; ');
  const suggestion = !known && versions.length > 0 ? padded : undefined;
  return new DstatsError('REPORT_UNIT_NOT_IN_PERIOD', { unit: unitCode, period, known: known || undefined, suggestion });
}

const dateOf = (d: string) => d.slice(0, 10);

export async function unitReport(db: Kysely<DB>, unitCode: string, period: string): Promise<UnitReport> {
  const info = periodInfo(period);
  if (!info) return { unit: null, period, lines: [] };
  const unit = await db
    .selectFrom('core.unit')
    .select(['unit_key', 'code', 'name'])
    .where('code', '=', unitCode)
    .where('valid_from', '<=', info.endDate)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', info.endDate)]))
    .executeTakeFirst();
  if (!unit) return { unit: null, period, lines: [] };
  const rows = await sql<{
    indicator_code: string;
    name_vi: string;
    name_en: string;
    uom: string;
    value: string;
    status: string;
    derivation: string;
    reporting_units: number | null;
    expected_units: number | null;
    value_last_year: string | null;
    yoy_pct: string | null;
    plan_province: string | null;
    pct_of_plan_province: string | null;
    plan_city: string | null;
    pct_of_plan_city: string | null;
  }>`
    SELECT f.indicator_code, i.name_vi, i.name_en, f.uom, f.value, f.status, f.derivation,
           f.reporting_units, f.expected_units, g.value_last_year, g.yoy_pct,
           pp.plan_province, pp.pct_of_plan_province, pp.plan_city, pp.pct_of_plan_city
    FROM mart.fact_value f
    JOIN mart.dim_indicator i ON i.indicator_code = f.indicator_code
    LEFT JOIN mart.growth g
      ON g.unit_key = f.unit_key AND g.indicator_code = f.indicator_code AND g.period_code = f.period_code AND g.series = f.series
    LEFT JOIN mart.plan_progress pp
      ON pp.unit_key = f.unit_key AND pp.indicator_code = f.indicator_code AND pp.period_code = f.period_code
    WHERE f.unit_key = ${unit.unit_key} AND f.period_code = ${period} AND f.series = 'actual'
    ORDER BY i.domain, f.indicator_code`.execute(db);
  return {
    unit: { code: unit.code, name: unit.name },
    period,
    lines: rows.rows.map((r) => ({
      indicator: r.indicator_code,
      nameVi: r.name_vi,
      nameEn: r.name_en,
      uom: r.uom,
      value: r.value,
      status: r.status,
      derivation: r.derivation,
      reportingUnits: r.reporting_units,
      expectedUnits: r.expected_units,
      valueLastYear: r.value_last_year,
      yoyPct: r.yoy_pct,
      planProvince: r.plan_province,
      pctOfPlanProvince: r.pct_of_plan_province,
      planCity: r.plan_city,
      pctOfPlanCity: r.pct_of_plan_city,
    })),
  };
}

const STATUS: Record<string, { vi: string; en: string }> = {
  official: { vi: 'chính thức', en: 'official' },
  preliminary: { vi: 'sơ bộ', en: 'preliminary' },
  estimate: { vi: 'ước', en: 'estimate' },
};

const HEADERS = {
  vi: ['Chỉ tiêu', 'Giá trị', 'ĐVT', 'Tình trạng', 'So cùng kỳ', 'So KH tỉnh', 'So KH TP', 'Đơn vị báo cáo'],
  en: ['Indicator', 'Value', 'Unit', 'Status', 'Vs last year', 'Of province plan', 'Of city plan', 'Units reporting'],
};

/** 7.2214… % growth reads "107,22%" (bằng … so với cùng kỳ), as the city's reports write it. */
function percentOf(pct: string | null, convention: NumberConvention, plus = 0): string {
  if (pct === null) return '';
  const value = plus ? (Number(pct) + plus).toFixed(6) : pct;
  return `${formatNumber(value, convention, { decimals: 2 })}%`;
}

function cells(line: ReportLine, lang: 'vi' | 'en'): string[] {
  const convention: NumberConvention = lang;
  return [
    lang === 'vi' ? line.nameVi : line.nameEn,
    // Sums carry the scale of their parts (1348.90); show them as written (1.348,9), at most 2 decimals.
    formatNumber(line.value, convention, { decimals: Math.min(decimalsOf(canonicalDecimal(line.value)), 2) }),
    uomOf(line, lang),
    STATUS[line.status]?.[lang] ?? line.status,
    percentOf(line.yoyPct, convention, 100),
    percentOf(line.pctOfPlanProvince, convention),
    percentOf(line.pctOfPlanCity, convention),
    line.expectedUnits ? `${line.reportingUnits}/${line.expectedUnits}` : '',
  ];
}

// A yes/no rolled up is the number of units that meet it (count_true), not a yes/no.
const UNITS_MEETING = { vi: 'đơn vị đạt', en: 'units meeting it' };
const uomOf = (line: ReportLine, lang: 'vi' | 'en') =>
  line.uom === 'bool' && line.derivation === 'units' ? UNITS_MEETING[lang] : describeUom(line.uom, lang);

function decimalsOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

export function renderReport(report: UnitReport, options: { lang: 'vi' | 'en'; format: 'table' | 'csv' | 'json' }): string {
  const { lang, format } = options;
  if (format === 'json') return JSON.stringify(report, null, 2);
  const rows = report.lines.map((line) => cells(line, lang));
  // With a BOM, as errors.csv, so that Excel shows the Vietnamese; the caller ends the last line.
  if (format === 'csv') return '\uFEFF' + stringify([HEADERS[lang], ...rows.map((r) => r.map(excelSafe))]).replace(/\n$/, '');
  const title = report.unit
    ? `${report.unit.name} (${report.unit.code}) — ${formatPeriod(report.period, lang)}`
    : lang === 'vi'
      ? `Không có đơn vị ${report.period}`
      : `No such unit in ${report.period}`;
  if (rows.length === 0) return `${title}\n${lang === 'vi' ? '(chưa có số liệu)' : '(no figures yet)'}`;
  const table = [HEADERS[lang], ...rows];
  const widths = HEADERS[lang].map((_, i) => Math.max(...table.map((r) => [...(r[i] ?? '')].length)));
  const numeric = new Set([1, 4, 5, 6, 7]);
  const line = (r: string[]) => r.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [title, '', line(table[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
