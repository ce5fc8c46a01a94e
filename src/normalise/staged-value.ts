// One value ready for core.staged_value, and its COPY column order.
import type { CopyValue } from '../db/connect.js';
import type { Series, ValueStatus } from './vocabulary.js';

export interface StagedValue {
  rowNo: number;
  sourceColumn: string | null;
  unitKey: number;
  indicatorCode: string;
  periodCode: string;
  series: Series;
  status: ValueStatus;
  rawValue: string;
  valueVi: string | null;
  valueEn: string | null;
  factor: string;
  note: string | null;
}

export const STAGED_COLUMNS = [
  'submission_id',
  'row_no',
  'source_column',
  'unit_key',
  'indicator_code',
  'period_code',
  'series',
  'status',
  'raw_value',
  'value_vi',
  'value_en',
  'factor',
  'note',
] as const;

export function stagedRow(submissionId: string, v: StagedValue): CopyValue[] {
  return [submissionId, v.rowNo, v.sourceColumn, v.unitKey, v.indicatorCode, v.periodCode, v.series, v.status, v.rawValue, v.valueVi, v.valueEn, v.factor, v.note];
}
