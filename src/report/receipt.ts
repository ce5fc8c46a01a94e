// <name>.receipt.json beside every archived file: what dstats did with it.
import type { Selectable } from 'kysely';
import type { SubmissionTable } from '../db/schema.js';
import { reportOf } from '../pipeline/drop-root.js';
import { writeWhole } from './write-whole.js';

export interface Receipt {
  submission_id: string;
  source_id: string;
  file_name: string;
  sha256: string;
  size_bytes: number;
  outcome: 'loaded' | 'duplicate';
  duplicate_of?: string;
  form_id?: string | null;
  periods?: string[];
  rows: number;
  values_loaded: number;
  number_convention?: string | null;
  warnings: string[];
  received_at: string;
  finished_at: string;
}

/** The receipt of a loaded or duplicate submission, from its row. */
export function receiptOf(submission: Selectable<SubmissionTable>): Receipt {
  const common = {
    submission_id: submission.submission_id,
    source_id: submission.source_id,
    file_name: submission.file_name,
    sha256: submission.sha256,
    size_bytes: Number(submission.size_bytes),
  };
  const times = { received_at: submission.received_at.toISOString(), finished_at: (submission.finished_at ?? new Date()).toISOString() };
  if (submission.state === 'duplicate') {
    const original = submission.duplicate_of!;
    return { ...common, outcome: 'duplicate', duplicate_of: original, rows: 0, values_loaded: 0, warnings: [`Same bytes as submission ${original}: nothing loaded again.`], ...times };
  }
  return {
    ...common,
    outcome: 'loaded',
    form_id: submission.form_id,
    rows: submission.rows_read ?? 0,
    values_loaded: submission.values_loaded ?? 0,
    number_convention: submission.number_convention,
    periods: submission.periods,
    warnings: submission.warnings as string[],
    ...times,
  };
}

export async function writeReceipt(archivedPath: string, receipt: Receipt): Promise<void> {
  await writeWhole(reportOf('archive', archivedPath), JSON.stringify(receipt, null, 2) + '\n');
}
