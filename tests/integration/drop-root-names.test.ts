// Files and names in the drop root that the pipeline must not lose or overwrite.
// SPEC §4: "No file is ever deleted or silently dropped." What the scan never takes from inbox/
// (a file in inbox/ itself, a folder inside a source's folder, a link, a name that is not UTF-8)
// stays where it is, and `run` and `status` name it, so that someone moves it (found by
// exploratory testing: `status` said no file was waiting).
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { runCli } from '../helpers/cli.js';
import { dropFile } from '../helpers/drop-root.js';
import { useStageContext } from '../helpers/pipeline.js';

const FILE = 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;12\n';

describe('files the scan cannot take', () => {
  const f = useStageContext('inbox-strays');
  const env = () => ({ DATABASE_URL: f.ctx.config.databaseUrl!, DSTATS_ROOT: f.root });

  it('stay in inbox/, and run and status name each with what is wrong', async () => {
    const inbox = path.join(f.root, 'inbox');
    await dropFile(f.root, '05440', 'bc-2022S1.csv', FILE);
    await writeFile(path.join(inbox, 'bc-goc-2022S1.csv'), FILE);
    await mkdir(path.join(inbox, '05443', 'thang-6'), { recursive: true });
    await writeFile(path.join(inbox, '05443', 'thang-6', 'bc-2022S1.csv'), FILE);
    await symlink(path.join(inbox, '05440', 'bc-2022S1.csv'), path.join(inbox, '05443', 'lien-ket-2022S1.csv'));
    // "báo-cáo-2022S1.csv" in Latin-1, as an archive unzipped on Windows names it.
    const latin1 = Buffer.concat([Buffer.from(path.join(inbox, '05446') + path.sep), Buffer.from('b\xe1o-c\xe1o-2022S1.csv', 'latin1')]);
    await mkdir(path.join(inbox, '05446'), { recursive: true });
    await writeFile(latin1, FILE);
    await writeFile(path.join(inbox, '05446', '~$bc.csv'), 'lock file of an open workbook'); // temporary: not a stray

    const expected = [
      'not taken from inbox/: 4 (move each file into inbox/<source>/, under a UTF-8 name)',
      'không lấy được từ inbox/: 4 (chuyển từng tệp vào inbox/<mã nguồn>/, đặt tên tệp không dấu hoặc UTF-8)',
      '  05443/lien-ket-2022S1.csv: a link',
      '  05443/thang-6/: a folder inside a source folder',
      '  05446/b\ufffdo-c\ufffdo-2022S1.csv: a name that is not UTF-8',
      '  bc-goc-2022S1.csv: not in a source folder',
    ];
    const run = await runCli(['run'], env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Files loaded: 1');
    expect(run.stdout).toContain(expected.join('\n'));
    expect(run.stderr).toContain('inbox/ holds files that cannot be taken'); // the scan's warning, for workers' logs
    const status = await runCli(['status'], env());
    expect(status.stdout).toContain('files waiting in inbox/: 0\n' + expected.join('\n'));
    // Nothing of it was moved or removed.
    expect((await readdir(inbox)).sort()).toEqual(['05440', '05443', '05446', 'bc-goc-2022S1.csv']);
    expect((await readdir(path.join(inbox, '05443'))).sort()).toEqual(['lien-ket-2022S1.csv', 'thang-6']);
    expect(await readdir(path.join(inbox, '05446'), { encoding: 'buffer' })).toHaveLength(2);
  });
});

// Found by exploratory testing: a file name with an escape sequence and a line break cleared the
// officer's terminal and printed a fake line in `run` and `status`.
describe('names from the drop root on a terminal', () => {
  const f = useStageContext('terminal-names');
  const env = () => ({ DATABASE_URL: f.ctx.config.databaseUrl!, DSTATS_ROOT: f.root });

  it('are printed with their control characters as escapes', async () => {
    await dropFile(f.root, '05440', 'bc\x1b[2J\nOK 05443-2022S1.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;abc\x1b[31m\n');
    await writeFile(path.join(f.root, 'inbox', 'x\u202egpj.csv'), FILE);
    const shown = 'bc\\x1b[2J\\x0aOK 05443-2022S1.csv';
    const run = await runCli(['run'], env());
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(`rejected 05440/${shown}: 1 problem(s); first: "abc\\x1b[31m" is not a number`);
    expect(run.stdout).toContain(`    lỗi đầu tiên: Giá trị "abc\\x1b[31m" không phải là số`);
    expect(run.stdout).toContain('  x\\u202egpj.csv: not in a source folder');
    const status = await runCli(['status'], env());
    expect(status.stdout).toContain(`05440/${shown}: 1 problem(s)`);
    for (const out of [run.stdout, status.stdout]) expect(out).not.toMatch(/[\u001b\u202e]/);
  });
});

// SPEC §4: "No file is ever deleted." Found by exploratory testing: an officer's copy of an error
// report dropped again ("bc.csv.errors.csv") was rejected under its own name, and the report of a
// "bc.csv" rejected later overwrote it.
describe('a submitted file named like a report', () => {
  const f = useStageContext('report-names');

  it('is stored under a name of its own, so no later report overwrites it', async () => {
    const copy = 'row,column,value,code\n2,Giá trị,abc,NOT_A_NUMBER\n';
    await dropFile(f.root, '05452', 'bc.csv.errors.csv', copy);
    expect((await runInProcess(f.ctx)).failures).toEqual([]);
    await dropFile(f.root, '05452', 'bc.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;abc\n');
    expect((await runInProcess(f.ctx)).failures).toEqual([]);

    const rows = await f.database.db.selectFrom('core.submission').select(['submission_id', 'file_name', 'state', 'stored_path']).orderBy('submission_id').execute();
    expect(rows.map((r) => [r.file_name, r.state, path.basename(r.stored_path)])).toEqual([
      ['bc.csv.errors.csv', 'rejected', `bc.csv.errors.${rows[0]!.submission_id}.csv`],
      ['bc.csv', 'rejected', 'bc.csv'],
    ]);
    expect(await readFile(rows[0]!.stored_path, 'utf8')).toBe(copy);
    expect(await readFile(`${rows[1]!.stored_path}.errors.csv`, 'utf8')).toContain('NOT_A_NUMBER');
  });
});
