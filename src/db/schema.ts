// Kysely table types for the tables the code queries. Mirrors sql/migrations/.
import type { ColumnType, Generated } from 'kysely';
import type { FormColumn } from '../catalog/model.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp column with a default (now()): selected as a Date, left out of inserts. */
type DefaultedTimestamp = ColumnType<Date, Date | undefined, Date>;
/** A text[] column with a default of '{}': optional on insert. */
type DefaultedTextArray = ColumnType<string[], string[] | undefined, string[]>;
/** Postgres numeric: read as a string so no digit is lost; written as a decimal string. */
type Numeric = ColumnType<string, string, string>;
type NullableNumeric = ColumnType<string | null, string | null | undefined, string | null>;

export interface UnitTable {
  unit_key: Generated<number>;
  code: string;
  name: string;
  type: string;
  level: number;
  parent_code: string | null;
  parent_key: number | null;
  valid_from: ColumnType<string, string, string>;
  valid_to: ColumnType<string | null, string | null, string | null>;
  aliases: DefaultedTextArray;
}

export interface UnitAncestorTable {
  unit_key: number;
  ancestor_key: number;
  depth: number;
}

export interface UnitCrosswalkTable {
  old_code: string;
  new_code: string;
  kind: 'full' | 'partial';
  effective_date: string;
  weight: NullableNumeric;
}

export interface IndicatorTable {
  code: string;
  domain: string;
  name_vi: string;
  name_en: string;
  uom: string;
  aggregation: 'sum' | 'weighted_mean' | 'count_true' | 'none';
  weight_indicator: string | null;
  period_aggregation: 'sum' | 'last' | 'none';
  min_value: NullableNumeric;
  max_value: NullableNumeric;
  better: 'higher' | 'lower' | null;
  aliases: DefaultedTextArray;
}

export interface SourceTable {
  source_id: string;
  name: string;
  kind: 'unit' | 'department';
  scope: 'self' | 'descendants';
  scope_unit_code: string;
  locale: 'vi' | 'en' | null;
  accept_valid_rows: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface TargetTable {
  target_id: Generated<number>;
  unit_code: string;
  indicator_code: string;
  metric: 'level' | 'yoy_growth_pct' | 'avg_annual_growth_pct';
  comparator: '>' | '>=' | '<' | '<=';
  threshold: Numeric;
  from_period: string;
  deadline_period: string;
  reference: string | null;
}

export interface FormTable {
  form_id: string;
  name_vi: string;
  name_en: string;
  deadline_days: number;
  /** written by catalog sync from the form file: its unit headers and its columns as read */
  definition: ColumnType<{ unit_headers: string[]; columns: FormColumn[] }, string, string>;
}

export interface ScheduledRunTable {
  schedule: string;
  slot: ColumnType<Date, Date, Date>;
  claimed_by: string;
  started_at: DefaultedTimestamp;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  files: number | null;
}

export interface ExpectationTable {
  expectation_id: Generated<number>;
  source_spec: string;
  form_id: string;
  frequency: 'month' | 'quarter' | 'half' | 'year';
  from_period: string;
  to_period: string | null;
  deadline_days: number | null;
}

export interface PeriodTable {
  code: string;
  type: 'year' | 'half' | 'quarter' | 'month' | 'ytd';
  year: number;
  half: number | null;
  quarter: number | null;
  month: number | null;
  months: number;
  start_date: string;
  end_date: string;
}

export type SubmissionState = 'received' | 'staged' | 'loaded' | 'rejected' | 'duplicate' | 'withdrawn';

export interface SubmissionTable {
  submission_id: Generated<string>;
  source_id: string;
  file_name: string;
  sha256: string;
  size_bytes: ColumnType<string, number | string, number | string>;
  state: SubmissionState;
  stored_path: string;
  duplicate_of: string | null;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  submitted_at: ColumnType<Date | null, Date | undefined, Date>;
  finished_at: Timestamp | null;
  rows_read: number | null;
  values_staged: number | null;
  values_loaded: number | null;
  problem_count: Generated<number>;
  first_problem: string | null;
  first_problem_vi: ColumnType<string | null, string | null | undefined, string | null>;
  number_convention: string | null;
  form_id: ColumnType<string | null, string | null | undefined, string | null>;
  periods: DefaultedTextArray;
  unit_keys: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  /** bigint, as text: the catalogue version normalise checked the file against */
  catalog_version: ColumnType<string | null, string | null | undefined, string | null>;
  warnings: ColumnType<unknown[], string | undefined, string>;
  /** When its receipt or errors.csv was written beside the file (migration 020). */
  reported_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When `dstats withdraw` took it back, and why (migration 022). */
  withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  withdrawal_reason: string | null;
}

export interface StagedValueTable {
  submission_id: string;
  row_no: number;
  source_column: string | null;
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  status: string;
  raw_value: string;
  value_vi: NullableNumeric;
  value_en: NullableNumeric;
  factor: Numeric;
  note: string | null;
}

export interface CurrentValueTable {
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  value: Numeric;
  status: string;
  status_rank: number;
  observation_id: string;
  submission_id: string;
  updated_at: Timestamp;
}

export interface ObservationTable {
  observation_id: Generated<string>;
  submission_id: string;
  row_no: number;
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  status: string;
  value: Numeric;
  note: string | null;
  loaded_at: DefaultedTimestamp;
}

export interface RollupPendingTable {
  year: number;
  submission_id: string;
}

export interface ComparableStaleTable {
  year: number;
  old_code: string;
  effective_date: string;
  marked_at: Generated<Timestamp>;
}

export interface RollupRebuildTable {
  year: number;
  marked_at: DefaultedTimestamp;
  /** null: every indicator */
  indicator_codes: string[] | null;
}

export interface CatalogVersionTable {
  only_row: ColumnType<boolean, never, never>;
  /** bigint, as text */
  version: ColumnType<string, never, string>;
  synced_at: ColumnType<Date, never, Date>;
}

export interface PublicationTable {
  year: number;
  published_at: DefaultedTimestamp;
}

export interface MigrationTable {
  name: string;
  checksum: string;
  applied_at: DefaultedTimestamp;
}

export interface AggregateValueTable {
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  value: Numeric;
  status: string;
  reporting_units: number;
  expected_units: number;
  computed_at: Timestamp;
  /** For a weighted mean: the weights of the children that entered it. */
  weight: Numeric | null;
}

export interface DerivedValueTable {
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  value: Numeric;
  status: string;
  parts: number;
  computed_at: Timestamp;
}

export interface FactValueView {
  unit_code: string;
  indicator_code: string;
  period_code: string;
  series: string;
  value: string;
  uom: string;
  status: string;
  is_derived: boolean;
  derivation: 'reported' | 'periods' | 'units';
  reporting_units: number | null;
  expected_units: number | null;
  submission_id: string | null;
  updated_at: Date;
  unit_key: number;
}

export interface GrowthView {
  unit_code: string;
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  value: string;
  is_derived: boolean;
  period_last_year: string;
  value_last_year: string | null;
  yoy_pct: string | null;
  reporting_units: number | null;
  expected_units: number | null;
  reporting_units_last_year: number | null;
}

export interface PlanProgressView {
  unit_code: string;
  unit_key: number;
  indicator_code: string;
  period_code: string;
  value: string;
  status: string;
  plan_province: string | null;
  plan_city: string | null;
  pct_of_plan_province: string | null;
  pct_of_plan_city: string | null;
}

export interface AnnualGrowthView {
  unit_code: string;
  unit_key: number;
  indicator_code: string;
  series: string;
  from_year: number;
  to_year: number;
  value_from: string;
  value_to: string;
  avg_annual_growth_pct: string | null;
}

export interface TargetProgressView {
  target_id: number;
  unit_code: string;
  indicator_code: string;
  metric: string;
  comparator: string;
  threshold: string;
  from_period: string;
  deadline_period: string;
  reference: string | null;
  metric_value: string | null;
  latest_year: number | null;
  latest_value: string | null;
  base_year: number | null;
  base_value: string | null;
  status: 'achieved' | 'on_track' | 'off_track' | 'no_data';
}

export interface CompletenessView {
  source_id: string;
  source_name: string;
  form_id: string;
  period_code: string;
  deadline: string;
  status: 'on_time' | 'late' | 'missing' | 'rejected';
  first_accepted_at: Date | null;
  last_received_at: Date | null;
  accepted_files: string;
  rejected_files: string;
}

export interface SubmissionsView {
  submission_id: string;
  source_id: string;
  file_name: string;
  sha256: string;
  size_bytes: string;
  state: SubmissionState;
  duplicate_of: string | null;
  received_at: Date;
  finished_at: Date | null;
  rows_read: number | null;
  values_loaded: number | null;
  problem_count: number;
  first_problem: string | null;
  withdrawn_at: Date | null;
  withdrawal_reason: string | null;
  first_problem_vi: string | null;
}

/** mart.observation_history: every value ever loaded, with its file and whether it is the current one. */
export interface ObservationHistoryView {
  observation_id: string;
  /** NULL only for a withdrawn file's value whose unit version the catalogue no longer has (migration 022). */
  unit_code: string | null;
  unit_key: number;
  indicator_code: string;
  period_code: string;
  series: string;
  status: string;
  value: string;
  submission_id: string;
  source_id: string;
  file_name: string;
  row_no: number;
  loaded_at: Date;
  is_current: boolean;
}

/** mart.fact_comparable: the fact columns of a crosswalk-derived value, and how many old units fed it. */
export type FactComparableView = Pick<FactValueView, 'unit_code' | 'unit_key' | 'indicator_code' | 'period_code' | 'series' | 'value' | 'uom' | 'status' | 'is_derived' | 'updated_at'> & {
  derivation: 'crosswalk';
  old_units: number;
};

export interface DB {
  'core.unit': UnitTable;
  'core.unit_ancestor': UnitAncestorTable;
  'core.unit_crosswalk': UnitCrosswalkTable;
  'core.indicator': IndicatorTable;
  'core.source': SourceTable;
  'core.target': TargetTable;
  'core.period': PeriodTable;
  'core.form': FormTable;
  'core.expectation': ExpectationTable;
  'core.scheduled_run': ScheduledRunTable;
  'core.submission': SubmissionTable;
  'core.staged_value': StagedValueTable;
  'core.observation': ObservationTable;
  'core.current_value': CurrentValueTable;
  'core.rollup_pending': RollupPendingTable;
  'core.rollup_rebuild': RollupRebuildTable;
  'core.comparable_stale': ComparableStaleTable;
  'core.derived_value': DerivedValueTable;
  'core.aggregate_value': AggregateValueTable;
  'core.publication': PublicationTable;
  'core.catalog_version': CatalogVersionTable;
  'public.dstats_migration': MigrationTable;
  'mart.fact_value': FactValueView;
  'mart.fact_comparable': FactComparableView;
  'mart.growth': GrowthView;
  'mart.plan_progress': PlanProgressView;
  'mart.annual_growth': AnnualGrowthView;
  'mart.target_progress': TargetProgressView;
  'mart.completeness': CompletenessView;
  'mart.submissions': SubmissionsView;
  'mart.observation_history': ObservationHistoryView;
}
