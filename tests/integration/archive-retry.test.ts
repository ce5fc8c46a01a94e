// A loaded file's last step, archive/ and its receipt, comes after the load commits, so it can be
// left undone (a worker killed, a full disk: faults-disk.test.ts). The next pass finishes it from
// core.submission.reported_at: the file moved and its receipt written, a file someone removed by
// hand marked done without one, and never a file outside the drop root moved.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropSamples } from '../helpers/drop-root.js';
import { useStageContext } from '../helpers/pipeline.js';

const f = useStageContext('archive-retry');

async function loadedSubmission(source: string) {
  return f.database.db.selectFrom('core.submission').selectAll().where('source_id', '=', source).where('state', '=', 'loaded').executeTakeFirstOrThrow();
}

/** As a worker killed after the load committed leaves it: the file in work/, no receipt. */
async function undoArchive(source: string): Promise<string> {
  const submission = await loadedSubmission(source);
  const inWork = path.join(f.root, 'work', source, `interrupted__${submission.file_name}`);
  await mkdir(path.dirname(inWork), { recursive: true });
  await rename(submission.stored_path, inWork);
  await f.database.db.updateTable('core.submission').set({ stored_path: inWork, reported_at: null }).where('submission_id', '=', submission.submission_id).execute();
  return inWork;
}

describe('a loaded file whose archive was left undone', () => {
  it('is archived with its receipt by the next pass', async () => {
    await dropSamples(f.root, ['164-NV', '164-TCKH']);
    await runInProcess(f.ctx);
    const receiptBefore = await readFile(`${(await loadedSubmission('164-NV')).stored_path}.receipt.json`, 'utf8');
    await undoArchive('164-NV');

    await runInProcess(f.ctx);
    const after = await loadedSubmission('164-NV');
    expect(path.relative(f.root, after.stored_path)).toBe(path.join('archive', '164-NV', after.file_name));
    expect(after.reported_at).not.toBeNull();
    const receipt = JSON.parse(await readFile(`${after.stored_path}.receipt.json`, 'utf8'));
    expect(receipt).toEqual({ ...JSON.parse(receiptBefore), finished_at: receipt.finished_at });
  });

  it('is marked done without a receipt when someone removed it from work/, and nothing fails', async () => {
    await rm(await undoArchive('164-TCKH'));
    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    expect((await loadedSubmission('164-TCKH')).reported_at).not.toBeNull();
    // Handed on no more.
    expect((await runInProcess(f.ctx)).failures).toEqual([]);
  });

  it('never moves a file outside the drop root', async () => {
    const submission = await loadedSubmission('164-NV');
    const outside = path.join(path.dirname(f.root), `${path.basename(f.root)}-elsewhere.csv`);
    await writeFile(outside, 'not dstats’ file');
    await f.database.db.updateTable('core.submission').set({ stored_path: outside, reported_at: null }).where('submission_id', '=', submission.submission_id).execute();

    try {
      const { failures } = await runInProcess(f.ctx);
      expect(failures).toEqual([{ what: `submission ${submission.submission_id}`, error: `${outside} is not in ${path.join(f.root, 'work')}: not moved` }]);
      expect(await readFile(outside, 'utf8')).toBe('not dstats’ file');
    } finally {
      await rm(outside);
    }
  });
});
