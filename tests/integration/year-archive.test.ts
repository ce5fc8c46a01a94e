// docs/operations.md, "Partitions by year": an old year is taken out of the live database by
// detaching its partitions, as printed there, and comes back by attaching them. While it is out,
// the warehouse shows nothing of it, the other years load and roll up as before, and a late file
// for it is rejected with YEAR_ARCHIVED (by `dstats validate` too) instead of failing its load on
// every attempt, and so is a file staged before the year was taken out and loaded after.
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { runCli } from '../helpers/cli.js';
import { docSqlBlock } from '../helpers/doc-sql.js';
import { dropFile } from '../helpers/drop-root.js';
import { factValues, stageWardFile, useStageContext } from '../helpers/pipeline.js';

const WARD = '05440';
const VALUE_TABLES = ['observation', 'current_value', 'derived_value', 'aggregate_value', 'comparable_value'];

/** The statements of operations.md's block for taking a year out (comments and pg_dump lines left out). */
async function detachStatements(): Promise<string[]> {
  return (await docSqlBlock('operations.md', 'To take an old year out of the live database'))
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trim())
    .filter((line) => line !== '');
}

const wardFile = (lines: string[]) => ['Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính', ...lines].join('\n') + '\n';

describe('an old year taken out of the live database and brought back', () => {
  const f = useStageContext('year-archive');
  const submissions = () =>
    f.database.db.selectFrom('core.submission').select(['file_name', 'state', 'first_problem', 'stored_path']).orderBy('submission_id').execute();
  const cityRevenue = async (period: string) => (await factValues(f.database, { unit: '164', indicator: 'BUDGET_REVENUE', period }))[0]?.value;

  it('detached as printed in operations.md: the warehouse shows nothing of 2001, and 2002 loads and rolls up as before', async () => {
    await dropFile(f.root, WARD, 'thu-2001.csv', wardFile(['BUDGET_REVENUE;2001S1;10;tỷ đồng']));
    await dropFile(f.root, WARD, 'thu-2002.csv', wardFile(['BUDGET_REVENUE;2002S1;12;tỷ đồng']));
    await runInProcess(f.ctx);
    expect(await cityRevenue('2001S1')).toBe('10');

    const statements = await detachStatements();
    expect(statements).toHaveLength(5);
    for (const statement of statements) await sql.raw(statement).execute(f.database.db);

    expect(await factValues(f.database, { period: '2001S1' })).toEqual([]);
    expect(await cityRevenue('2002S1')).toBe('12');
    await dropFile(f.root, WARD, 'thu-2002-bo-sung.csv', wardFile(['BUDGET_REVENUE;2002S2;13;tỷ đồng']));
    await runInProcess(f.ctx);
    expect(await cityRevenue('2002S2')).toBe('13');
    expect(await cityRevenue('2002')).toBe('25');
  });

  it('rejects a late file for the archived year at once, saying so in both languages; `dstats validate` says the same', async () => {
    const late = await dropFile(f.root, WARD, 'thu-2001-muon.csv', wardFile(['BUDGET_REVENUE;2001S2;11;tỷ đồng', 'BUDGET_REVENUE;2002S1;12;tỷ đồng']));
    const validate = await runCli(['validate', late, '--source', WARD], { DATABASE_URL: f.ctx.config.databaseUrl! });
    expect(validate.code, validate.stderr).toBe(1);
    expect(validate.stdout).toContain('[YEAR_ARCHIVED]');
    expect(validate.stdout).toContain('vi: Số liệu năm 2001 đã được lưu trữ');

    await runInProcess(f.ctx);
    const lateSubmission = (await submissions()).find((s) => s.file_name === 'thu-2001-muon.csv')!;
    expect(lateSubmission.state).toBe('rejected');
    expect(lateSubmission.first_problem).toMatch(/^The figures of 2001 have been archived/);
    expect(await readFile(`${lateSubmission.stored_path}.errors.csv`, 'utf8')).toContain('YEAR_ARCHIVED');
    expect(await factValues(f.database, { period: '2001S2' })).toEqual([]);
  });

  it('will not withdraw a file with values of the archived year, naming it, and withdraws nothing', async () => {
    const idOf = async (name: string) => (await f.database.db.selectFrom('core.submission').select('submission_id').where('file_name', '=', name).executeTakeFirstOrThrow()).submission_id;
    const [of2001, of2002] = [await idOf('thu-2001.csv'), await idOf('thu-2002.csv')];
    const cli = await runCli(['withdraw', of2002, of2001, '--reason', 'x'], { DATABASE_URL: f.ctx.config.databaseUrl! });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('[WITHDRAW_YEAR_ARCHIVED]');
    expect(cli.stderr).toContain(`Submission ${of2001} has values in 2001, taken out of the live database`);
    expect((await submissions()).filter((s) => s.state === 'withdrawn')).toEqual([]);
  });

  it('attached again (the sentence after the block), the year is back and takes the late file', async () => {
    for (const table of VALUE_TABLES) {
      await sql.raw(`ALTER TABLE core.${table} ATTACH PARTITION core.${table}_y2001 FOR VALUES FROM ('2001') TO ('2002')`).execute(f.database.db);
    }
    expect(await cityRevenue('2001S1')).toBe('10');
    await dropFile(f.root, WARD, 'thu-2001-gui-lai.csv', wardFile(['BUDGET_REVENUE;2001S2;11;tỷ đồng']));
    await runInProcess(f.ctx);
    expect(await cityRevenue('2001S2')).toBe('11');
    expect(await cityRevenue('2001')).toBe('21');
  });

  it('a file staged before the year was taken out, loaded after: checked again and rejected with YEAR_ARCHIVED, no failed attempt', async () => {
    const id = await stageWardFile(f, WARD, 'thu-2001-dang-xu-ly.csv', ['BUDGET_REVENUE;2001S1;9;tỷ đồng']);
    for (const statement of await detachStatements()) await sql.raw(statement).execute(f.database.db);

    const { failures } = await runInProcess(f.ctx);
    expect(failures).toEqual([]);
    const staged = await f.database.db.selectFrom('core.submission').selectAll().where('submission_id', '=', id).executeTakeFirstOrThrow();
    expect(staged.state).toBe('rejected');
    expect(staged.first_problem).toMatch(/^The figures of 2001 have been archived/);
    expect(await readFile(`${staged.stored_path}.errors.csv`, 'utf8')).toContain('YEAR_ARCHIVED');
    expect(await f.database.db.selectFrom('core.staged_value').select('submission_id').where('submission_id', '=', id).execute()).toEqual([]);
  });
});

