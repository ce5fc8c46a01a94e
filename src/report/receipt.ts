// <name>.receipt.json beside every archived file: what dstats did with it.
import { writeFile } from 'node:fs/promises';

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

export async function writeReceipt(archivedPath: string, receipt: Receipt): Promise<void> {
  await writeFile(`${archivedPath}.receipt.json`, JSON.stringify(receipt, null, 2) + '\n', 'utf8');
}
