// SPEC §5: "a file that keeps failing ends in rejected/ with the reason, and never blocks the
// others", for `dstats run` without Redis (src/pipeline/run-in-process.ts). Before, a file whose
// processing failed was left in work/ and tried once more by every later run, for ever. The fault
// is real and outside the file's contents: a trigger that makes the server refuse its staged rows.
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropFile } from '../helpers/drop-root.js';
import { useStageContext } from '../helpers/pipeline.js';

const file = (value: string) => `Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;${value}\n`;

describe('a file whose processing keeps failing, without Redis', () => {
  const f = useStageContext('in-process-retries');

  it('is tried five times, then rejected with PROCESSING_FAILED; the other files load', async () => {
    await sql`
      CREATE FUNCTION public.refuse_marked_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.raw_value = '4242' THEN RAISE EXCEPTION 'could not write block 7 of relation base/1/2'; END IF;
        RETURN NEW;
      END $$`.execute(f.database.db);
    await sql`CREATE TRIGGER refuse_marked_rows BEFORE INSERT ON core.staged_value FOR EACH ROW EXECUTE FUNCTION public.refuse_marked_rows()`.execute(f.database.db);
    await dropFile(f.root, '05440', 'hong-2022S1.csv', file('4242'));
    await dropFile(f.root, '05443', 'tot-2022S1.csv', file('17'));

    const { failures } = await runInProcess(f.ctx);
    expect(failures).toEqual([]);
    const rows = await f.database.db.selectFrom('core.submission').select(['file_name', 'state', 'stored_path', 'first_problem']).orderBy('file_name').execute();
    expect(rows.map((r) => [r.file_name, r.state])).toEqual([
      ['hong-2022S1.csv', 'rejected'],
      ['tot-2022S1.csv', 'loaded'],
    ]);
    const report = await readFile(`${rows[0]!.stored_path}.errors.csv`, 'utf8');
    expect(report).toContain('PROCESSING_FAILED');
    expect(report).toContain('could not write block 7');
    expect(rows[0]!.first_problem).toMatch(/5 attempts/);
  }, 60_000);
});
