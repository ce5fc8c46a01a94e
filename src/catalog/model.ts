// The catalogue as read from schemas/ (before it is synced into core.*).
import type { Series } from '../normalise/vocabulary.js';

export interface CatalogIssue {
  file: string;
  line: number;
  field: string;
  detail: string;
}

export interface UnitRecord {
  code: string;
  name: string;
  type: string;
  level: number;
  parentCode: string | null;
  validFrom: string;
  validTo: string | null;
  aliases: string[];
}

export interface CrosswalkRecord {
  oldCode: string;
  newCode: string;
  kind: 'full' | 'partial';
  effectiveDate: string;
  weight: string | null;
}

export interface IndicatorRecord {
  code: string;
  domain: string;
  nameVi: string;
  nameEn: string;
  uom: string;
  aggregation: 'sum' | 'weighted_mean' | 'count_true' | 'none';
  weightIndicator: string | null;
  periodAggregation: 'sum' | 'last' | 'none';
  min: string | null;
  max: string | null;
  better: 'higher' | 'lower' | null;
  aliases: string[];
}

export interface SourceRecord {
  sourceId: string;
  name: string;
  kind: 'unit' | 'department';
  scope: 'self' | 'descendants';
  scopeUnitCode: string;
  locale: 'vi' | 'en' | null;
  acceptValidRows: boolean;
}

export interface TargetRecord {
  unitCode: string;
  indicatorCode: string;
  metric: 'level' | 'yoy_growth_pct' | 'avg_annual_growth_pct';
  comparator: '>' | '>=' | '<' | '<=';
  threshold: string;
  fromPeriod: string;
  deadlinePeriod: string;
  reference: string | null;
}

export interface FormColumn {
  headers: string[];
  indicator: string;
  uom: string;
  series: Series;
}

export interface FormRecord {
  formId: string;
  nameVi: string;
  nameEn: string;
  deadlineDays: number;
  unitHeaders: string[];
  columns: FormColumn[];
}

export interface ExpectationRecord {
  sourceSpec: string; // a source id, or units-of:<unit code>
  formId: string; // a form id, or 'long'
  frequency: 'month' | 'quarter' | 'half' | 'year';
  fromPeriod: string;
  toPeriod: string | null;
  deadlineDays: number | null;
}

export interface Catalog {
  units: UnitRecord[];
  crosswalk: CrosswalkRecord[];
  indicators: IndicatorRecord[];
  sources: SourceRecord[];
  targets: TargetRecord[];
  forms: FormRecord[];
  expectations: ExpectationRecord[];
}

/** Wards, communes and townships submit for themselves, from a folder named by their code. */
export const SELF_REPORTING_TYPES = new Set(['ward', 'commune', 'township']);
