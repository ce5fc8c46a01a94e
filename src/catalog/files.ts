// Reads and validates the catalogue files a city edits in schemas/. Every problem names the file,
// the line and the field, so an editor can fix it without reading code.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { DstatsError } from '../errors.js';
import { convertUom } from '../normalise/uom.js';
import { fold } from '../normalise/text.js';
import { SERIES_CODES } from '../normalise/vocabulary.js';
import { periodInfo } from '../normalise/periods.js';
import type { Catalog, CatalogIssue, FormRecord } from './model.js';
import { packagePath } from '../package-root.js';

export const DEFAULT_CATALOG_DIR = packagePath('schemas');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const optionalText = z.string().transform((s) => (s.trim() === '' ? null : s.trim()));
const optionalDate = z.union([z.literal(''), isoDate]).transform((s) => (s === '' ? null : s));
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a number such as 12.5');
const optionalDecimal = z.union([z.literal(''), decimal]).transform((s) => (s === '' ? null : s));
const code = z.string().regex(/^[0-9A-Za-z_-]+$/, 'expected a code of letters, digits, _ or -');
const list = z.string().transform((s) => s.split('|').map((x) => x.trim()).filter(Boolean));

const UNIT_TYPES: Record<string, string> = {
  'Tỉnh': 'province',
  'Thành phố': 'city',
  'Huyện': 'district',
  'Thị xã': 'town',
  'Quận': 'district',
  'Phường': 'ward',
  'Xã': 'commune',
  'Thị trấn': 'township',
};

const editionRow = z.object({ file: z.string().min(1), valid_from: isoDate, valid_to: optionalDate, note: z.string().optional() });
const crosswalkListRow = z.object({ file: z.string().min(1), effective_date: isoDate });
const unitRow = z.object({
  code: z.string().regex(/^\d{2,5}$/, 'expected a GSO code of 2 to 5 digits, leading zeros kept'),
  name: z.string().min(1),
  type: z.string().refine((t) => t in UNIT_TYPES, { message: `expected one of ${Object.keys(UNIT_TYPES).join(', ')}` }),
  level: z.coerce.number().int().min(1).max(3),
  parent_code: optionalText,
  aliases: list.optional(),
});
const crosswalkRow = z.object({
  old_code: z.string().regex(/^\d{2,5}$/),
  new_code: z.string().regex(/^\d{2,5}$/),
  kind: z.enum(['full', 'partial']),
  weight: optionalDecimal.optional(),
});
const indicatorRow = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an UPPER_SNAKE_CASE code'),
  domain: z.string().min(1),
  name_vi: z.string().min(1),
  name_en: z.string().min(1),
  uom: z.string().min(1),
  aggregation: z.enum(['sum', 'weighted_mean', 'count_true', 'none']),
  weight: optionalText,
  period_aggregation: z.enum(['sum', 'last', 'none']),
  min: optionalDecimal,
  max: optionalDecimal,
  better: z.enum(['higher', 'lower', '']).transform((s) => (s === '' ? null : s)),
  aliases: list.optional(),
});
const sourceRow = z.object({
  source_id: code,
  name: z.string().min(1),
  kind: z.literal('department'),
  may_report_for: z.string().regex(/^(self|descendants):\d{2,5}$/, 'expected self:<unit code> or descendants:<unit code>'),
  locale: z.enum(['vi', 'en', '']).transform((s) => (s === '' ? null : s)),
  accept_valid_rows: z.enum(['true', 'false', '']).transform((s) => s === 'true'),
});
const targetRow = z.object({
  unit_code: z.string().regex(/^\d{2,5}$/),
  indicator_code: z.string().min(1),
  metric: z.enum(['level', 'yoy_growth_pct', 'avg_annual_growth_pct']),
  comparator: z.enum(['>', '>=', '<', '<=']),
  threshold: decimal,
  from_period: z.string().regex(/^\d{4}$/, 'expected a year'),
  deadline_period: z.string().regex(/^\d{4}$/, 'expected a year'),
  source: z.string().optional(),
});

const expectationRow = z.object({
  source: z.string().regex(/^(units-of:\d{2,5}|[0-9A-Za-z_-]+)$/, 'expected a source id or units-of:<unit code>'),
  form: z.string().min(1),
  frequency: z.enum(['month', 'quarter', 'half', 'year']),
  from_period: z.string().min(4),
  to_period: z.string(),
  deadline_days: z.union([z.literal(''), z.string().regex(/^\d+$/, 'expected a whole number of days')]).transform((s) => (s === '' ? null : Number(s))),
  note: z.string().optional(),
});

const formFile = z.object({
  form_id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and -'),
  name_vi: z.string().min(1),
  name_en: z.string().min(1),
  deadline_days: z.number().int().min(0).max(366).default(5),
  unit_headers: z.array(z.string().min(1)).min(1),
  columns: z
    .array(
      z.object({
        headers: z.array(z.string().min(1)).min(1),
        indicator: z.string().min(1),
        uom: z.string().min(1),
        series: z.enum(SERIES_CODES).default('actual'),
      }),
    )
    .min(1),
});

function catalogInvalid(issues: CatalogIssue[]): DstatsError {
  const error = new DstatsError('CATALOG_INVALID', { ...issues[0]! });
  (error as DstatsError & { issues: CatalogIssue[] }).issues = issues;
  return error;
}

async function readForms(dir: string, indicators: Map<string, { uom: string }>, named: Set<string>, issues: CatalogIssue[]): Promise<FormRecord[]> {
  const formsDir = path.join(dir, 'forms');
  const names = (await readdir(formsDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const forms: FormRecord[] = [];
  for (const name of names) {
    const file = `forms/${name}`;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.join(formsDir, name), 'utf8'));
    } catch (error) {
      issues.push({ file, line: 0, field: '', detail: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const parsed = formFile.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ file, line: 0, field: issue.path.join('.'), detail: issue.message });
      continue;
    }
    const form = parsed.data;
    const seen = new Map<string, number>();
    form.columns.forEach((column, index) => {
      const indicator = indicators.get(column.indicator);
      // An indicator whose row has a mistake is told there, not here.
      if (!indicator && !named.has(column.indicator)) {
        issues.push({ file, line: 0, field: `columns.${index}.indicator`, detail: `unknown indicator ${column.indicator}` });
      } else if (indicator && !convertUom(column.uom, indicator.uom).ok) {
        issues.push({ file, line: 0, field: `columns.${index}.uom`, detail: `${column.uom} does not convert to ${indicator.uom}, the unit of ${column.indicator}` });
      }
      for (const header of column.headers) {
        const key = fold(header);
        if (seen.has(key)) issues.push({ file, line: 0, field: `columns.${index}.headers`, detail: `header "${header}" is also used by column ${seen.get(key)}` });
        seen.set(key, index);
      }
    });
    if (forms.some((f) => f.formId === form.form_id)) issues.push({ file, line: 0, field: 'form_id', detail: `form_id ${form.form_id} is used twice` });
    forms.push({
      formId: form.form_id,
      nameVi: form.name_vi,
      nameEn: form.name_en,
      deadlineDays: form.deadline_days,
      unitHeaders: form.unit_headers,
      columns: form.columns,
    });
  }
  return forms;
}

/** What readTable could not read: files missing or not CSV, and rows that failed their checks. */
interface Unread {
  files: Set<string>;
  /** the `code` of each row that failed its checks, by file: named, so other files may refer to it */
  codes: Map<string, Set<string>>;
}

/** Parses one CSV file into validated rows; issues are collected, not thrown one by one. */
async function readTable<T extends z.ZodTypeAny>(
  dir: string,
  file: string,
  schema: T,
  issues: CatalogIssue[],
  unread: Unread,
): Promise<{ line: number; row: z.output<T> }[]> {
  let text: string;
  try {
    text = (await readFile(path.join(dir, file), 'utf8')).replace(/^\uFEFF/, '');
  } catch {
    unread.files.add(file);
    issues.push({ file, line: 0, field: '', detail: `file not found in ${dir}` });
    return [];
  }
  // Excel set to Vietnamese saves CSV with ';' between fields.
  const header = text.split('\n', 1)[0]!;
  const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false, delimiter });
  } catch (error) {
    unread.files.add(file);
    const line = Number((error as { lines?: number }).lines ?? 0);
    issues.push({ file, line, field: '', detail: `not readable as CSV up to this line (a quote " not closed, or a field with a comma not in quotes?): ${(error as Error).message}` });
    return [];
  }
  const out: { line: number; row: z.output<T> }[] = [];
  records.forEach((record, index) => {
    const line = index + 2; // header is line 1
    const result = schema.safeParse(record);
    if (result.success) out.push({ line, row: result.data });
    else {
      for (const issue of result.error.issues) issues.push({ file, line, field: String(issue.path[0] ?? ''), detail: issue.message });
      if (record.code) unread.codes.set(file, (unread.codes.get(file) ?? new Set()).add(record.code));
    }
  });
  return out;
}

export async function readCatalog(dir = DEFAULT_CATALOG_DIR): Promise<Catalog> {
  const issues: CatalogIssue[] = [];
  const unread: Unread = { files: new Set(), codes: new Map() };
  if (!(await stat(dir).then((d) => d.isDirectory(), () => false))) {
    throw catalogInvalid([{ file: dir, line: 0, field: '', detail: 'no catalogue folder here (it holds indicators.csv, sources.csv, units/…)' }]);
  }
  const catalog: Catalog = { units: [], crosswalk: [], indicators: [], sources: [], targets: [], forms: [], expectations: [] };

  for (const { row: edition } of await readTable(dir, 'units/editions.csv', editionRow, issues, unread)) {
    const file = `units/${edition.file}`;
    const rows = await readTable(dir, file, unitRow, issues, unread);
    const codes = new Set(rows.map((r) => r.row.code));
    const seen = new Set<string>();
    for (const { line, row } of rows) {
      if (seen.has(row.code)) issues.push({ file, line, field: 'code', detail: `code ${row.code} appears twice` });
      seen.add(row.code);
      if (row.parent_code && !codes.has(row.parent_code)) {
        issues.push({ file, line, field: 'parent_code', detail: `parent ${row.parent_code} is not in the same file` });
      }
      catalog.units.push({
        code: row.code,
        name: row.name,
        type: UNIT_TYPES[row.type]!,
        level: row.level,
        parentCode: row.parent_code,
        validFrom: edition.valid_from,
        validTo: edition.valid_to,
        aliases: row.aliases ?? [],
      });
    }
  }
  for (const { row: list } of await readTable(dir, 'units/crosswalks.csv', crosswalkListRow, issues, unread)) {
    for (const { row } of await readTable(dir, `units/${list.file}`, crosswalkRow, issues, unread)) {
      catalog.crosswalk.push({
        oldCode: row.old_code,
        newCode: row.new_code,
        kind: row.kind,
        effectiveDate: list.effective_date,
        weight: row.weight ?? null,
      });
    }
  }

  const indicators = await readTable(dir, 'indicators.csv', indicatorRow, issues, unread);
  // A row with a mistake is still named: the targets and forms that use it are not told it is unknown.
  const indicatorCodes = new Set([...indicators.map((r) => r.row.code), ...(unread.codes.get('indicators.csv') ?? [])]);
  const seenIndicators = new Set<string>();
  // A file names an indicator by its code, either name or an alias: one text naming two indicators
  // would load a ward's figure under whichever was read last.
  const namedBy = new Map<string, { code: string; line: number }>();
  for (const { line, row } of indicators) {
    if (seenIndicators.has(row.code)) issues.push({ file: 'indicators.csv', line, field: 'code', detail: `code ${row.code} appears twice` });
    seenIndicators.add(row.code);
    const names = { code: [row.code], name_vi: [row.name_vi], name_en: [row.name_en], aliases: row.aliases ?? [] };
    for (const [field, texts] of Object.entries(names)) {
      for (const text of texts) {
        const other = namedBy.get(fold(text));
        if (other && other.code !== row.code) {
          issues.push({ file: 'indicators.csv', line, field, detail: `"${text}" already names ${other.code} (line ${other.line}): a file could not tell the two apart` });
        } else if (!other) namedBy.set(fold(text), { code: row.code, line });
      }
    }
    if (row.aggregation === 'weighted_mean' && !row.weight) {
      issues.push({ file: 'indicators.csv', line, field: 'weight', detail: 'a weighted_mean needs a weight indicator' });
    }
    if (row.weight && !indicatorCodes.has(row.weight)) {
      issues.push({ file: 'indicators.csv', line, field: 'weight', detail: `unknown indicator ${row.weight}` });
    }
    // Months of a rate or a share added up give 277 % for a quarter; `sum` is for flows only.
    if (row.period_aggregation === 'sum' && (row.aggregation === 'weighted_mean' || row.uom === 'pct')) {
      issues.push({
        file: 'indicators.csv', line, field: 'period_aggregation',
        detail: `${row.code} is a ${row.uom === 'pct' ? 'percentage' : 'weighted mean'}: its periods cannot be summed; use last (a stock) or none (only reported periods)`,
      });
    }
    catalog.indicators.push({
      code: row.code,
      domain: row.domain,
      nameVi: row.name_vi,
      nameEn: row.name_en,
      uom: row.uom,
      aggregation: row.aggregation,
      weightIndicator: row.weight,
      periodAggregation: row.period_aggregation,
      min: row.min,
      max: row.max,
      better: row.better,
      aliases: row.aliases ?? [],
    });
  }

  const unitCodes = new Set(catalog.units.map((u) => u.code));
  for (const { line, row } of await readTable(dir, 'sources.csv', sourceRow, issues, unread)) {
    const [scope, unitCode] = row.may_report_for.split(':') as ['self' | 'descendants', string];
    if (!unitCodes.has(unitCode)) {
      issues.push({ file: 'sources.csv', line, field: 'may_report_for', detail: `unknown unit ${unitCode}` });
    }
    catalog.sources.push({
      sourceId: row.source_id,
      name: row.name,
      kind: 'department',
      scope,
      scopeUnitCode: unitCode,
      locale: row.locale,
      acceptValidRows: row.accept_valid_rows,
    });
  }

  for (const { line, row } of await readTable(dir, 'targets.csv', targetRow, issues, unread)) {
    if (!indicatorCodes.has(row.indicator_code)) {
      issues.push({ file: 'targets.csv', line, field: 'indicator_code', detail: `unknown indicator ${row.indicator_code}` });
    }
    catalog.targets.push({
      unitCode: row.unit_code,
      indicatorCode: row.indicator_code,
      metric: row.metric,
      comparator: row.comparator,
      threshold: row.threshold,
      fromPeriod: row.from_period,
      deadlinePeriod: row.deadline_period,
      reference: row.source ?? null,
    });
  }

  catalog.forms = await readForms(dir, new Map(catalog.indicators.map((i) => [i.code, i])), indicatorCodes, issues);

  const formIds = new Set(['long', ...catalog.forms.map((f) => f.formId)]);
  const sourceIds = new Set(catalog.sources.map((s) => s.sourceId));
  for (const { line, row } of await readTable(dir, 'expectations.csv', expectationRow, issues, unread)) {
    const file = 'expectations.csv';
    const unitsOf = row.source.startsWith('units-of:') ? row.source.slice('units-of:'.length) : null;
    if (unitsOf ? !unitCodes.has(unitsOf) : !sourceIds.has(row.source) && !unitCodes.has(row.source)) {
      issues.push({ file, line, field: 'source', detail: `unknown source ${row.source}` });
    }
    if (!formIds.has(row.form)) issues.push({ file, line, field: 'form', detail: `unknown form ${row.form} (use a form of schemas/forms or long)` });
    for (const field of ['from_period', 'to_period'] as const) {
      if (row[field] === '' && field === 'to_period') continue;
      if (periodInfo(row[field])?.type !== row.frequency) {
        issues.push({ file, line, field, detail: `${row[field] || '(empty)'} is not a ${row.frequency} period code` });
      }
    }
    catalog.expectations.push({
      sourceSpec: row.source,
      formId: row.form,
      frequency: row.frequency,
      fromPeriod: row.from_period,
      toPeriod: row.to_period || null,
      deadlineDays: row.deadline_days,
    });
  }

  // A file that could not be read at all makes every reference to it look wrong: only its own
  // problems are told, the rest once it reads.
  if (unread.files.size > 0) throw catalogInvalid(issues.filter((i) => unread.files.has(i.file)));
  if (issues.length > 0) throw catalogInvalid(issues);
  return catalog;
}

/** All problems of a catalogue error, one line each (the CLI prints them). */
export function catalogIssues(error: unknown): CatalogIssue[] {
  return (error as { issues?: CatalogIssue[] }).issues ?? [];
}
