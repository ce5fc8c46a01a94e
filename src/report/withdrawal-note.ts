// <name>.withdrawn.json beside a withdrawn file and its receipt in archive/: the receipt still
// says what was loaded, and this says that it no longer counts, since when and why.
import { reportOf } from '../pipeline/drop-root.js';
import type { Withdrawal } from '../withdraw/withdraw-submission.js';
import { writeWhole } from './write-whole.js';

export async function writeWithdrawalNote(withdrawal: Withdrawal): Promise<string> {
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
