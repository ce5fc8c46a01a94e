// A loaded file's last step, archive/ and its receipt, comes after the load commits, so it can be
// left undone (a worker killed, a full disk: faults-disk.test.ts). The next pass finishes it from
// core.submission.reported_at: the file moved and its receipt written, a file someone removed by
// hand marked done without one, and never a file outside the drop root moved. A worker killed
// between moving a file out of work/ and recording it leaves the file where it belongs and the
// database pointing at work/: the next pass finds it there.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Updateable } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SubmissionTable } from '../../src/db/schema.js';
import { normaliseSubmission } from '../../src/normalise/stage.js';
import { intakeFile } from '../../src/pipeline/intake.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropFile, dropSamples } from '../helpers/drop-root.js';
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

describe('a move out of work/ cut off before the database recorded it', () => {
  const submissionOf = (source: string, name: string) =>
    f.database.db.selectFrom('core.submission').selectAll().where('source_id', '=', source).where('file_name', '=', name).orderBy('submission_id').execute();
  const inWork = async (source: string) => readdir(path.join(f.root, 'work', source)).catch(() => []);
  /** As a worker killed before recording a move leaves the row: pointing at a claim name in work/ (gone). */
  const leftPointingAtWork = (submission: { submission_id: string; source_id: string; file_name: string }, more: Updateable<SubmissionTable> = {}) =>
    f.database.db
      .updateTable('core.submission')
      .set({ stored_path: path.join(f.root, 'work', submission.source_id, `cut-off__${submission.file_name}`), reported_at: null, ...more })
      .where('submission_id', '=', submission.submission_id)
      .execute();
  /** ... and for a rejection, the submission as normalise left it before rejecting it. */
  const NOT_YET_REJECTED = { state: 'received', finished_at: null, problem_count: 0, first_problem: null } as const;

  it('into archive/: the next pass records where the file is, and keeps its receipt', async () => {
    await dropSamples(f.root, ['164-VHTT']);
    await runInProcess(f.ctx);
    const archived = await loadedSubmission('164-VHTT');
    const receipt = await readFile(`${archived.stored_path}.receipt.json`, 'utf8');
    await leftPointingAtWork(archived);

    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    const after = await loadedSubmission('164-VHTT');
    expect(after.stored_path).toBe(archived.stored_path);
    expect(after.reported_at).not.toBeNull();
    expect(await readFile(`${after.stored_path}.receipt.json`, 'utf8')).toBe(receipt);
    expect(await inWork('164-VHTT')).toEqual([]);
  });

  it("into rejected/ by a load's last failed attempt, loaded since: the file goes to archive/ with a receipt instead", async () => {
    await dropSamples(f.root, ['05440']);
    await runInProcess(f.ctx);
    const loaded = await loadedSubmission('05440');
    const receipt = await readFile(`${loaded.stored_path}.receipt.json`, 'utf8');
    const inRejected = path.join(f.root, 'rejected', '05440', loaded.file_name);
    await mkdir(path.dirname(inRejected), { recursive: true });
    await rename(loaded.stored_path, inRejected);
    await rm(`${loaded.stored_path}.receipt.json`);
    await writeFile(`${inRejected}.errors.csv`, 'PROCESSING_FAILED\n');
    await leftPointingAtWork(loaded);

    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    const after = await loadedSubmission('05440');
    expect(after.stored_path).toBe(loaded.stored_path);
    expect(JSON.parse(await readFile(`${after.stored_path}.receipt.json`, 'utf8'))).toEqual({ ...JSON.parse(receipt), finished_at: expect.any(String) });
    expect(await readdir(path.dirname(inRejected))).toEqual([]);
    expect(await inWork('05440')).toEqual([]);
  });

  const BAD = { source: '05440', name: 'chi-tieu-sai.csv', content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nNO_SUCH_INDICATOR;2023S1;31\n' };

  it('into rejected/: the file is checked again and ends with its own problems, not as a missing file', async () => {
    await dropFile(f.root, BAD.source, BAD.name, BAD.content);
    await runInProcess(f.ctx);
    const [rejected] = await submissionOf(BAD.source, BAD.name);
    expect(rejected!.state).toBe('rejected');
    const report = await readFile(`${rejected!.stored_path}.errors.csv`, 'utf8');
    // As the killed worker left it: the file and its report in rejected/, the submission still received.
    await leftPointingAtWork(rejected!, NOT_YET_REJECTED);

    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    const [after] = await submissionOf(BAD.source, BAD.name);
    expect(after).toMatchObject({ state: 'rejected', stored_path: rejected!.stored_path, problem_count: rejected!.problem_count, first_problem: rejected!.first_problem });
    expect(after!.first_problem).not.toMatch(/disappeared/);
    expect(await readFile(`${after!.stored_path}.errors.csv`, 'utf8')).toBe(report);
    expect(await inWork(BAD.source)).toEqual([]);
  });

  it('never takes the file of an earlier submission with the same name and bytes for a missing one', async () => {
    await dropFile(f.root, BAD.source, BAD.name, BAD.content);
    await runInProcess(f.ctx);
    const [first, second] = await submissionOf(BAD.source, BAD.name);
    expect(second!.state).toBe('rejected');
    expect(second!.stored_path).not.toBe(first!.stored_path);
    // The second file is really gone, and the database says it is still in work/.
    await rm(second!.stored_path);
    await rm(`${second!.stored_path}.errors.csv`);
    await leftPointingAtWork(second!, NOT_YET_REJECTED);

    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    const [firstAfter, secondAfter] = await submissionOf(BAD.source, BAD.name);
    expect(secondAfter!.first_problem).toMatch(/disappeared from the work folder/);
    expect(firstAfter).toEqual(first);
    // The missing file's report is where the file would have been; the earlier file keeps its own.
    const missingReport = await readFile(`${second!.stored_path}.errors.csv`, 'utf8');
    expect(missingReport).toContain('FILE_MISSING');
    expect(missingReport).toContain('Hãy gửi lại tệp');
    expect(await readFile(`${first!.stored_path}.errors.csv`, 'utf8')).not.toContain('FILE_MISSING');
    expect(await inWork(BAD.source)).toEqual([]);
  });

  it("a missing file's report is at its stored path, under a name no later file of that name is given", async () => {
    const name = 'mat-tep.csv';
    await dropFile(f.root, BAD.source, name, BAD.content);
    const intake = await intakeFile(f.ctx, { sourceId: BAD.source, fileName: name });
    if (intake.outcome !== 'registered') throw new Error(`not registered: ${intake.outcome}`);
    const [claimed] = await submissionOf(BAD.source, name);
    await rm(claimed!.stored_path);
    expect(await normaliseSubmission(f.ctx, intake.submissionId)).toMatchObject({ outcome: 'rejected', problems: 1 });
    const [missing] = await submissionOf(BAD.source, name);
    expect(missing!.stored_path).toBe(path.join(f.root, 'rejected', BAD.source, `mat-tep.${missing!.submission_id}.csv`));
    expect(await readFile(`${missing!.stored_path}.errors.csv`, 'utf8')).toContain('FILE_MISSING');

    await dropFile(f.root, BAD.source, name, BAD.content);
    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    const [, later] = await submissionOf(BAD.source, name);
    expect(later!.state).toBe('rejected');
    expect(later!.stored_path).toBe(path.join(f.root, 'rejected', BAD.source, name));
    expect(await readFile(`${later!.stored_path}.errors.csv`, 'utf8')).toContain('UNKNOWN_INDICATOR');
    expect(await readFile(`${missing!.stored_path}.errors.csv`, 'utf8')).toContain('FILE_MISSING');
  });
});
