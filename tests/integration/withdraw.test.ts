// `dstats withdraw`: a loaded file sent by mistake is taken back. Its cells take the values the
// precedence rules give without it, the figures computed from them are computed again (also where
// nothing is left to compute them from), the history keeps it, and its bytes may be sent again.
// The oracle: the mart after the withdrawal equals the mart of a database that never had the file.
import { access, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import type { SubmissionState } from '../../src/db/schema.js';
import { loadSubmission } from '../../src/load/load-submission.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { withdrawSubmissions } from '../../src/withdraw/withdraw-submission.js';
import { readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { deleteLine, useEditedCatalogs } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { WARDS_OF_CITY } from '../helpers/city-units.js';
import { dropFile } from '../helpers/drop-root.js';
import { activeQueries, waitFor, waitForLoadToWait, whileStagedRowsHeld } from '../helpers/faults.js';
import { factValues, martRows, preparedContext, stageFile, useStageContext, type StageFixture } from '../helpers/pipeline.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';

const [W1, W2] = WARDS_OF_CITY as [string, string];
const HEADER = 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính;Tình trạng';
// January and February estimated by W1, then January official and March; W2's January.
const FILES: Record<'estimate' | 'official' | 'other', { ward: string; name: string; lines: string[] }> = {
  estimate: { ward: W1, name: 'qr-uoc.csv', lines: ['QR_SCANS;202401;100;lượt;ước', 'QR_SCANS;202402;10;lượt;ước'] },
  official: {
    ward: W1,
    name: 'qr-chinh-thuc.csv',
    lines: ['QR_SCANS;202401;120;lượt;chính thức', 'QR_SCANS;202403;30;lượt;chính thức', 'HOUSEHOLDS;2024;4000;hộ;chính thức', 'POOR_HOUSEHOLD_RATE;2024;1,5;%;chính thức'],
  },
  other: { ward: W2, name: 'qr.csv', lines: ['QR_SCANS;202401;50;lượt;chính thức', 'HOUSEHOLDS;2024;1000;hộ;chính thức', 'POOR_HOUSEHOLD_RATE;2024;3;%;chính thức'] },
};
type FileKey = keyof typeof FILES;
const contentOf = (key: FileKey) => [HEADER, ...FILES[key].lines].join('\n') + '\n';

async function load(fixture: StageFixture, keys: FileKey[]) {
  for (const key of keys) await dropFile(fixture.root, FILES[key].ward, FILES[key].name, contentOf(key));
  expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
}

const submissionOf = async (database: Database, fileName: string, state: SubmissionState = 'loaded') =>
  (await database.db.selectFrom('mart.submissions').selectAll().where('file_name', '=', fileName).where('state', '=', state).executeTakeFirstOrThrow());

describe('dstats withdraw', () => {
  const fixture = useStageContext('withdraw');
  const env = () => ({ DATABASE_URL: fixture.ctx.config.databaseUrl!, DSTATS_ROOT: fixture.root });
  const qr = async (unit: string, period: string) => (await factValues(fixture.database, { unit, indicator: 'QR_SCANS', period }))[0];
  let withoutTheFile: Awaited<ReturnType<typeof martRows>> = [];
  let withEveryFile: Awaited<ReturnType<typeof martRows>> = [];
  let official = '';

  // The same files but the official one, loaded into a database of their own.
  let other: TestDatabase | undefined;
  let otherRoot: Awaited<ReturnType<typeof tempDir>> | undefined;
  beforeAll(async () => {
    other = await createTestDatabase();
    otherRoot = await tempDir('withdraw-oracle');
    const prepared = await preparedContext({ databaseUrl: other.url, root: otherRoot.dir });
    try {
      await load({ ...prepared, root: otherRoot.dir }, ['estimate', 'other']);
      withoutTheFile = await martRows(prepared.database);
    } finally {
      await prepared.database.close();
    }

    await load(fixture, ['estimate']);
    await load(fixture, ['official', 'other']);
    withEveryFile = await martRows(fixture.database);
    official = (await submissionOf(fixture.database, FILES.official.name)).submission_id;
  });
  afterAll(async () => {
    await other?.drop();
    await otherRoot?.remove();
  });

  it('starts with the official file in force', async () => {
    expect(await qr(W1, '202401')).toMatchObject({ value: '120', status: 'official', submission_id: official });
    expect(await qr('164', '202403')).toMatchObject({ value: '30', reporting_units: 1 });
    expect(withEveryFile).not.toEqual(withoutTheFile);
  });

  it('withdraws it: each cell takes the value it would have had without it, and the figures are computed again', async () => {
    const cli = await runCli(['withdraw', official, '--reason', 'Gửi nhầm số liệu / sent by mistake'], env());
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`submission ${official} (${W1}/${FILES.official.name}) withdrawn: 1 value(s) now from another file, 3 value(s) no longer reported`);
    // HOUSEHOLDS weights the two rates: their rollups are computed again too.
    expect(cli.stdout).toContain('figures computed again: HOUSEHOLDS, NEAR_POOR_HOUSEHOLD_RATE, POOR_HOUSEHOLD_RATE, QR_SCANS in 2024');

    // January falls back to the estimate; March, reported by this file only, is gone, and so is
    // the city's March, which nothing is left to sum.
    expect(await qr(W1, '202401')).toMatchObject({ value: '100', status: 'estimate' });
    expect(await qr(W1, '202403')).toBeUndefined();
    expect(await qr('164', '202403')).toBeUndefined();
    expect(await qr('164', '202401')).toMatchObject({ value: '150', reporting_units: 2 });
    expect(await martRows(fixture.database)).toEqual(withoutTheFile);
  });

  it('keeps the file in the history, in archive/, and says why beside it', async () => {
    const withdrawn = await submissionOf(fixture.database, FILES.official.name, 'withdrawn');
    expect(withdrawn).toMatchObject({ submission_id: official, withdrawal_reason: 'Gửi nhầm số liệu / sent by mistake' });
    expect(withdrawn.withdrawn_at).toBeInstanceOf(Date);
    const history = await fixture.database.db.selectFrom('mart.observation_history').select(['value', 'is_current'])
      .where('submission_id', '=', official).orderBy('row_no').execute();
    expect(history).toHaveLength(4);
    expect(history.every((row) => !row.is_current)).toBe(true);

    const { stored_path } = await fixture.database.db.selectFrom('core.submission').select('stored_path').where('submission_id', '=', official).executeTakeFirstOrThrow();
    expect(stored_path).toContain('/archive/');
    expect(await readFile(stored_path, 'utf8')).toBe(contentOf('official'));
    const status = await runCli(['status'], env());
    expect(status.stdout).toContain(`withdrawn in the last 7 days: 1\n  #${official} ${W1}/${FILES.official.name}: Gửi nhầm số liệu / sent by mistake\n`);
    const note = JSON.parse(await readFile(`${stored_path}.withdrawn.json`, 'utf8'));
    expect(note).toMatchObject({ submission_id: official, outcome: 'withdrawn', reason: 'Gửi nhầm số liệu / sent by mistake', values_replaced_by_other_files: 1, values_removed: 3 });
  });

  it('refuses what cannot be withdrawn, saying why, and changes nothing', async () => {
    const before = await martRows(fixture.database);
    const again = await runCli(['withdraw', official, '--reason', 'again'], env());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[WITHDRAW_NOT_LOADED]');
    expect(again.stderr).toContain(`Submission ${official} (${W1}/${FILES.official.name}) is withdrawn`);

    for (const id of ['999999', 'abc']) {
      const unknown = await runCli(['withdraw', id, '--reason', 'x'], env());
      expect(unknown.code, id).toBe(2);
      expect(unknown.stderr, id).toContain(`[WITHDRAW_NOT_FOUND]`);
    }
    const noReason = await runCli(['withdraw', official], env());
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>'");
    const blankReason = await runCli(['withdraw', official, '--reason', '  '], env());
    expect(blankReason.code).toBe(2);
    expect(blankReason.stderr).toContain('[WITHDRAW_NO_REASON] Cần ghi lý do rút tệp sau --reason');

    // All or none: the estimate is not withdrawn with the file already withdrawn.
    const estimate = await submissionOf(fixture.database, FILES.estimate.name);
    const both = await runCli(['withdraw', estimate.submission_id, official, '--reason', 'both'], env());
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`Submission ${official} (${W1}/${FILES.official.name}) is withdrawn`);
    expect(await submissionOf(fixture.database, FILES.estimate.name)).toMatchObject({ state: 'loaded' });

    await dropFile(fixture.root, W2, 'hong.csv', `${HEADER}\nQR_SCANS;202401;khoảng 70;lượt;\n`);
    await runInProcess(fixture.ctx);
    const rejected = await submissionOf(fixture.database, 'hong.csv', 'rejected');
    const notLoaded = await runCli(['withdraw', rejected.submission_id, '--reason', 'x'], env());
    expect(notLoaded.code).toBe(2);
    expect(notLoaded.stderr).toContain('is rejected: only a loaded file can be withdrawn');
    expect(await martRows(fixture.database)).toEqual(before);
  });

  it('the same file sent again loads anew, as before the withdrawal', async () => {
    await dropFile(fixture.root, W1, 'qr-chinh-thuc-lai.csv', contentOf('official'));
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    const resent = await submissionOf(fixture.database, 'qr-chinh-thuc-lai.csv');
    expect(resent.values_loaded).toBe(4);
    expect(await qr(W1, '202401')).toMatchObject({ value: '120', submission_id: resent.submission_id });
    expect(await martRows(fixture.database)).toEqual(withEveryFile);
  });

  it('a file whose January lost to a later one: withdrawn, only what it alone reported changes', async () => {
    const estimate = await submissionOf(fixture.database, FILES.estimate.name);
    const before = await martRows(fixture.database);
    const cli = await runCli(['withdraw', estimate.submission_id, '--reason', 'superseded'], env());
    expect(cli.code).toBe(0);
    // February was the estimate's alone.
    expect(cli.stdout).toContain('withdrawn: 0 value(s) now from another file, 1 value(s) no longer reported');
    expect(await qr(W1, '202401')).toMatchObject({ value: '120' });
    expect(await qr(W1, '202402')).toBeUndefined();
    // Only what February fed changed: the city's February goes with it, and the other
    // indicators' figures stay as they were.
    expect(await qr('164', '202402')).toBeUndefined();
    const otherIndicators = (rows: Awaited<ReturnType<typeof martRows>>) => rows.filter((row) => row.indicator_code !== 'QR_SCANS');
    expect(otherIndicators(before).length).toBeGreaterThan(0);
    expect(otherIndicators(await martRows(fixture.database))).toEqual(otherIndicators(before));
  });

  it('a withdrawn half-year report no longer counts as sent', async () => {
    const slot = () => fixture.database.db.selectFrom('mart.completeness').select(['status', 'accepted_files'])
      .where('source_id', '=', W2).where('form_id', '=', 'long').where('period_code', '=', '2024S1').executeTakeFirstOrThrow();
    await dropFile(fixture.root, W2, 'bc-2024S1.csv', `${HEADER}\nBUDGET_REVENUE;2024S1;12,5;tỷ đồng;\n`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await slot()).toMatchObject({ status: 'late', accepted_files: '1' });
    const report = await submissionOf(fixture.database, 'bc-2024S1.csv');
    expect((await runCli(['withdraw', `#${report.submission_id}`, '--reason', 'wrong half-year'], env())).code).toBe(0); // as status shows it
    expect(await slot()).toMatchObject({ status: 'missing', accepted_files: '0' });
  });

  // Found by exploratory testing: run on a copy of a drop root, the note went into the original's
  // archive/, whose own database still counted the file.
  it('writes no note outside its drop root, and says so in both languages', async () => {
    await dropFile(fixture.root, W2, 'bc-2024Q3.csv', `${HEADER}
BUDGET_REVENUE;2024Q3;7;tỷ đồng;
`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    const { submission_id, stored_path } = await fixture.database.db.selectFrom('core.submission').select(['submission_id', 'stored_path'])
      .where('file_name', '=', 'bc-2024Q3.csv').executeTakeFirstOrThrow();
    const copy = await tempDir('withdraw-copy');
    try {
      await mkdir(path.join(copy.dir, 'inbox'));
      const cli = await runCli(['withdraw', submission_id, '--reason', 'wrong quarter'], { ...env(), DSTATS_ROOT: copy.dir });
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain(`warning: no note written beside the file (${stored_path} is not in ${path.join(copy.dir, 'archive')}); the withdrawal stands`);
      expect(cli.stdout).toContain('cảnh báo: không ghi được ghi chú cạnh tệp');
      expect(await access(`${stored_path}.withdrawn.json`).then(() => 'written', () => 'none')).toBe('none');
      expect(await submissionOf(fixture.database, 'bc-2024Q3.csv', 'withdrawn')).toMatchObject({ withdrawal_reason: 'wrong quarter' });
    } finally {
      await copy.remove();
    }
  });
});

describe('a withdrawal while a load of the same cell is in flight', () => {
  const fixture = useStageContext('withdraw-load');

  it('waits for the load, and chooses among its values too', async () => {
    await dropFile(fixture.root, W1, 'qr.csv', `${HEADER}\nQR_SCANS;202401;100;lượt;chính thức\n`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    const first = (await submissionOf(fixture.database, 'qr.csv')).submission_id;
    // A later estimate of the same cell: it loses to the official value while that counts.
    const estimate = await stageFile(fixture, W1, 'qr-uoc.csv', `${HEADER}\nQR_SCANS;202401;200;lượt;ước\n`);

    let load: Promise<unknown> = Promise.resolve();
    let withdrawal: Promise<unknown> = Promise.resolve();
    let withdrawn = false;
    // The load stops inside its transaction, after its values are written, holding its year shared.
    await whileStagedRowsHeld(fixture.database, estimate, async () => {
      load = loadSubmission(fixture.ctx, estimate);
      await waitForLoadToWait(fixture.database);
      withdrawal = withdrawSubmissions(fixture.database.db, [first], 'test').finally(() => (withdrawn = true));
      await waitFor('the withdrawal to wait for the load', async () =>
        (await activeQueries(fixture.database)).some((q) => /^SELECT pg_advisory_xact_lock\(/.test(q.query) && q.wait_event_type === 'Lock'));
      expect(withdrawn).toBe(false);
    });
    expect(await load).toMatchObject({ outcome: 'loaded' });
    expect(await withdrawal).toMatchObject({ withdrawals: [{ restored: 1, removed: 0 }] });
    const [value] = await factValues(fixture.database, { unit: W1, indicator: 'QR_SCANS', period: '202401' });
    expect(value).toMatchObject({ value: '200', status: 'estimate', submission_id: estimate });
  });
});

describe("a withdrawn file's history when the catalogue's units change", () => {
  const fixture = useStageContext('withdraw-history');
  const catalogWith = useEditedCatalogs('withdraw-history');
  const [DUC_XUAN, PHONG_QUANG] = ['01840', '01849'];
  const history = (source: string) => fixture.database.db.selectFrom('mart.observation_history')
    .innerJoin('mart.submissions', 'mart.submissions.submission_id', 'mart.observation_history.submission_id')
    .select(['unit_code', 'unit_key', 'value']).where('mart.submissions.source_id', '=', source).execute();

  it('follows its code to the version of the re-dated edition, and stays in the history view when its unit is removed', async () => {
    await dropFile(fixture.root, DUC_XUAN, 'qr.csv', `${HEADER}\nQR_SCANS;202507;10;lượt;\n`);
    await dropFile(fixture.root, PHONG_QUANG, 'qr.csv', `${HEADER}\nQR_SCANS;202508;8;lượt;\n`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    const both = await fixture.database.db.selectFrom('core.submission').select('submission_id').where('source_id', 'in', [DUC_XUAN, PHONG_QUANG]).execute();
    expect(await runCli(['withdraw', ...both.map((s) => s.submission_id), '--reason', 'test'], { DATABASE_URL: fixture.ctx.config.databaseUrl! }))
      .toMatchObject({ code: 0, stderr: '' });

    // The reorganisation moved to 1 June, and the commune is no longer in the files.
    const redated = await catalogWith([
      { file: 'units/editions.csv', from: '2000-01-01,2025-06-30,', to: '2000-01-01,2025-05-31,' },
      { file: 'units/editions.csv', from: 'thai-nguyen-2025-07-01.csv,2025-07-01,,', to: 'thai-nguyen-2025-07-01.csv,2025-06-01,,' },
      { file: 'units/crosswalks.csv', from: 'crosswalk-2025-07-01.csv,2025-07-01', to: 'crosswalk-2025-07-01.csv,2025-06-01' },
      await deleteLine('units/thai-nguyen-2025-07-01.csv', `${PHONG_QUANG},`),
    ]);
    // Neither holds a value in force, so nothing stops the sync.
    const summary = await syncCatalog(fixture.database, await readCatalog(redated));
    expect(summary.strays).toEqual([]);

    const { unit_key: ducXuanNow } = await fixture.database.db.selectFrom('core.unit').select('unit_key')
      .where('code', '=', DUC_XUAN).where('valid_from', '=', '2025-06-01').executeTakeFirstOrThrow();
    expect(await history(DUC_XUAN)).toEqual([{ unit_code: DUC_XUAN, unit_key: ducXuanNow, value: '10' }]);
    expect(await history(PHONG_QUANG)).toEqual([expect.objectContaining({ unit_code: null, value: '8' })]);
  });
});
