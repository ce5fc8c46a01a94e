// <name>.withdrawn.json beside a withdrawn file and its receipt in archive/: the receipt still
// says what was loaded, and this says that it no longer counts, since when and why.
import { areaDir, inArea, reportOf } from '../pipeline/drop-root.js';
import type { Withdrawal } from '../withdraw/withdraw-submission.js';
import { writeWhole } from './write-whole.js';

export async function writeWithdrawalNote(root: string, withdrawal: Withdrawal): Promise<string> {
  // As the other writers, never outside this drop root: a stored path from a copied or restored
  // root names the other root's file, whose own database still counts it.
  if (!inArea(root, 'archive', withdrawal.storedPath)) {
    throw new Error(`${withdrawal.storedPath} is not in ${areaDir(root, 'archive')}`);
  }
  const note = {
    submission_id: withdrawal.submissionId,
    source_id: withdrawal.sourceId,
    file_name: withdrawal.fileName,
    outcome: 'withdrawn',
    withdrawn_at: withdrawal.withdrawnAt.toISOString(),
    reason: withdrawal.reason,
    values_replaced_by_other_files: withdrawal.restored,
    values_removed: withdrawal.removed,
  };
  const file = reportOf('withdrawn', withdrawal.storedPath);
  await writeWhole(file, JSON.stringify(note, null, 2) + '\n');
  return file;
}
