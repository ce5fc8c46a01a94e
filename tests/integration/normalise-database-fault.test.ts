// A database fault while a file's rows stream into staging is not the file's fault: normalise
// fails (the job is retried) and the file is not rejected; once the database is well again the
// same file stages whole, and only once (the retry clears what an earlier attempt staged).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { normaliseSubmission } from '../../src/normalise/stage.js';
import { intakeFile } from '../../src/pipeline/intake.js';
import { dropFile } from '../helpers/drop-root.js';
import { useStageContext } from '../helpers/pipeline.js';

describe('a database fault during normalise', () => {
  const fixture = useStageContext('normalise-fault');

  it('fails the job instead of rejecting the file, and the retry stages it', async () => {
    await dropFile(fixture.root, '05440', 'thu-ngan-sach.csv', 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính\nBUDGET_REVENUE;2022Q4;3;tỷ đồng\nBUDGET_REVENUE;2023S1;10,5;tỷ đồng\nBUDGET_REVENUE;2023Q3;4;tỷ đồng\n');
    const intake = await intakeFile(fixture.ctx, { sourceId: '05440', fileName: 'thu-ngan-sach.csv' });
    if (intake.outcome !== 'registered') throw new Error(intake.outcome);
    const id = intake.submissionId;

    // Make the database refuse the rows of 2023's staging partition, as a full disk or a dropped
    // connection would refuse any write; 2022's row, in a COPY of its own, is staged before.
    await sql`SELECT core.ensure_staging_partitions(ARRAY[2023])`.execute(fixture.database.db);
    await sql`ALTER TABLE core.staged_value_y2023 ADD CONSTRAINT injected_fault CHECK (row_no < 0)`.execute(fixture.database.db);
    await expect(normaliseSubmission(fixture.ctx, id)).rejects.toThrow(/injected_fault/);
    const after = await fixture.database.db.selectFrom('core.submission').select(['state', 'problem_count', 'stored_path']).where('submission_id', '=', id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ state: 'received', problem_count: 0 });
    await expect(access(after.stored_path)).resolves.toBeUndefined(); // still in work/, not rejected/
    expect(path.relative(fixture.root, after.stored_path).split(path.sep)[0]).toBe('work');

    await sql`ALTER TABLE core.staged_value_y2023 DROP CONSTRAINT injected_fault`.execute(fixture.database.db);
    expect(await normaliseSubmission(fixture.ctx, id)).toMatchObject({ outcome: 'staged', values: 3 });
    const staged = await fixture.database.db.selectFrom('core.staged_value').select(({ fn }) => fn.countAll<string>().as('n')).where('submission_id', '=', id).executeTakeFirstOrThrow();
    expect(Number(staged.n)).toBe(3);
  });
});
