// `dstats validate`: the pipeline's checks as a dry run, through the CLI.
import { copyFile, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import { SAMPLES } from '../helpers/drop-root.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';

describe('dstats validate', () => {
  let tdb: TestDatabase;
  let database: Database;
  let out: Awaited<ReturnType<typeof tempDir>>;
  const env = () => ({ DATABASE_URL: tdb.url });

  beforeAll(async () => {
    tdb = await createTestDatabase();
    out = await tempDir('validate');
    expect((await runCli(['migrate'], env())).code).toBe(0);
    expect((await runCli(['catalog', 'sync'], env())).code).toBe(0);
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
    await out.remove();
  });

  it('reports every problem of the faulty sample and exits 1, writing the same errors.csv as the pipeline', async () => {
    const file = path.join(SAMPLES, '05443/loi-dinh-dang.csv');
    const reportPath = path.join(out.dir, 'loi.errors.csv');
    const result = await runCli(['validate', file, '--source', '05443', '--report', reportPath], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('REJECTED / BỊ TRẢ LẠI: 7 problem(s)');
    for (const code of ['NOT_A_NUMBER', 'UNKNOWN_PERIOD', 'UNIT_NOT_ALLOWED', 'UNKNOWN_INDICATOR', 'OUT_OF_RANGE', 'UOM_MISMATCH', 'UNKNOWN_UNIT']) {
      expect(result.stdout).toContain(`[${code}]`);
    }
    const report = await readFile(reportPath, 'utf8');
    expect(report.startsWith('\uFEFFrow,column,value,code,message_vi,message_en')).toBe(true);
    expect(report.split('\r\n').filter(Boolean)).toHaveLength(8);
  });

  it('accepts the wide UTF-16 table and exits 0', async () => {
    const result = await runCli(['validate', path.join(SAMPLES, '164-VHTT/chuyen-doi-so-202206.txt'), '--source', '164-VHTT'], env());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('33 rows, 128 values, form ward-digital-transformation');
    expect(result.stdout).toContain('ACCEPTED');
  });

  it('stores nothing and moves nothing', async () => {
    const submissions = await database.db.selectFrom('core.submission').select('submission_id').execute();
    const staged = await database.db.selectFrom('core.staged_value').select('row_no').execute();
    expect(submissions).toEqual([]);
    expect(staged).toEqual([]);
    expect(await readdir(path.join(SAMPLES, '164-VHTT'))).toEqual(['chuyen-doi-so-202206.txt']);
  });

  it('rejects an unknown source', async () => {
    const result = await runCli(['validate', path.join(SAMPLES, '164-NV/cai-cach-hanh-chinh-2022.csv'), '--source', 'no-such-dept'], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[UNKNOWN_SOURCE]');
  });

  it('rejects a CSV under another extension with UNSUPPORTED_FILE_TYPE, as the pipeline does', async () => {
    for (const name of ['bc.xlsx', 'bc.pdf']) {
      const file = path.join(out.dir, name);
      await copyFile(path.join(SAMPLES, '05440/bao-cao-6-thang-2022.csv'), file);
      const result = await runCli(['validate', file, '--source', '05440'], env());
      expect(result.code, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toContain('REJECTED / BỊ TRẢ LẠI: 1 problem(s)');
      expect(result.stdout).toContain(`= "${name}": [UNSUPPORTED_FILE_TYPE]`);
    }
    // The same content under .csv passes: only the name decides.
    const csv = path.join(out.dir, 'bc-2022S1.csv');
    await copyFile(path.join(SAMPLES, '05440/bao-cao-6-thang-2022.csv'), csv);
    const accepted = await runCli(['validate', csv, '--source', '05440'], env());
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
  });

  it('a FILE that does not exist or is a folder is a usage error (exit 2) naming it in both languages', async () => {
    for (const file of [path.join(out.dir, 'no-such-file.csv'), out.dir]) {
      const result = await runCli(['validate', file, '--source', '05440'], env());
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`dstats: [FILE_NOT_FOUND] Không tìm thấy tệp ${file}`);
      expect(result.stderr).toContain(`No file at ${file}`);
      expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
      expect(result.stdout).toBe('');
    }
  });

  it('refuses a --report over the file being checked, on a folder or in a missing folder, and changes nothing', async () => {
    const file = path.join(out.dir, 'bc-report-2022S1.csv');
    await copyFile(path.join(SAMPLES, '05440/bao-cao-6-thang-2022.csv'), file);
    const before = await readFile(file, 'utf8');
    const cases: [string, string][] = [
      [file, 'that is the file being checked'],
      [out.dir, 'that is a folder'],
      [path.join(out.dir, 'no-folder', 'errors.csv'), 'its folder does not exist'],
    ];
    for (const [report, why] of cases) {
      const result = await runCli(['validate', file, '--source', '05440', '--report', report], env());
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`[REPORT_PATH_INVALID]`);
      expect(result.stderr).toContain(`Cannot write the error report to ${report}: ${why}.`);
      expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
