// A new edition of the administrative units is often published after the first months it covers
// were already reported: the wards' January figures are loaded against the edition in force, and
// in March the city syncs an edition valid from 1 January that closes it. Those values must then
// count for the units of the new edition, as a file sent after the sync would; the values of a
// unit the new edition no longer has are kept as loaded, left out of the rollups, and named.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/files.js';
import type { Database } from '../../src/db/connect.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { CatalogLookup } from '../../src/catalog/lookup.js';
import { loadSubmission } from '../../src/load/load-submission.js';
import { normaliseSubmission } from '../../src/normalise/stage.js';
import { CATALOG_TTL_MS, type StageContext } from '../../src/pipeline/context.js';
import { intakeFile } from '../../src/pipeline/intake.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { deleteLine, useEditedCatalogs } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { dropFile } from '../helpers/drop-root.js';
import { activeQueries, waitFor, waitForLoadToWait, whileStagedRowsHeld } from '../helpers/faults.js';
import { factValues, stageWardFile, useStageContext } from '../helpers/pipeline.js';

const EDITION_2025 = 'thai-nguyen-2025-07-01.csv,2025-07-01,,';
const WARD_HEADER = 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính';
// Đức Xuân (01840) is in both editions; Bắc Kạn (01843) is not in the 2027 one.
const DUC_XUAN = '01840';
const BAC_KAN = '01843';

const catalogWith = useEditedCatalogs('catalog-edition');

const submissionIdOf = async (fixture: { database: Database }, source: string, fileName: string) =>
  (await fixture.database.db.selectFrom('core.submission').select('submission_id')
    .where('source_id', '=', source).where('file_name', '=', fileName).executeTakeFirstOrThrow()).submission_id;

/** The shipped catalogue with a 2027 edition: the 2025 one without Bắc Kạn, which closes the 2025 one. */
async function catalogWithEdition2027(): Promise<string> {
  const dir = await catalogWith([
    {
      file: 'units/editions.csv',
      from: EDITION_2025,
      to: 'thai-nguyen-2025-07-01.csv,2025-07-01,2026-12-31,\nthai-nguyen-2027-01-01.csv,2027-01-01,,',
    },
  ]);
  const units2025 = await readFile(path.join(dir, 'units/thai-nguyen-2025-07-01.csv'), 'utf8');
  const units2027 = units2025.split('\n').filter((line) => !line.startsWith(`${BAC_KAN},`)).join('\n');
  await writeFile(path.join(dir, 'units/thai-nguyen-2027-01-01.csv'), units2027);
  return dir;
}

describe('a new edition synced after values of its periods were loaded', () => {
  const fixture = useStageContext('catalog-edition');
  const url = () => fixture.ctx.config.databaseUrl!;
  let catalogDir = '';
  let stagedBeforeSync = '';
  let catalogBeforeSync: CatalogLookup | undefined;
  let firstReadAt = 0;

  const qrScans = async (unit: string, period: string) => (await factValues(fixture.database, { unit, indicator: 'QR_SCANS', period }))[0];
  const versionKey = async (code: string, validFrom: string) =>
    (await fixture.database.db.selectFrom('core.unit').select('unit_key').where('code', '=', code).where('valid_from', '=', validFrom).executeTakeFirstOrThrow()).unit_key;
  async function run() {
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  }

  beforeAll(async () => {
    firstReadAt = Date.now();
    await dropFile(fixture.root, DUC_XUAN, 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202612;10;lượt\nQR_SCANS;202701;100;lượt\n`);
    await dropFile(fixture.root, BAC_KAN, 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202612;20;lượt\nQR_SCANS;202701;200;lượt\n`);
    await run();
    // February's file is taken in and checked against the 2025 edition, and loaded after the sync.
    stagedBeforeSync = await stageWardFile(fixture, DUC_XUAN, 'qr-2.csv', ['QR_SCANS;202702;1000;lượt']);
    catalogDir = await catalogWithEdition2027();
    catalogBeforeSync = await CatalogLookup.load(fixture.database.db);
  });

  it('starts with January rolled up along the 2025 edition', async () => {
    expect(await qrScans('19', '202701')).toMatchObject({ value: '300', reporting_units: 2 });
    expect((await qrScans(DUC_XUAN, '202701'))!.unit_key).toBe(await versionKey(DUC_XUAN, '2025-07-01'));
  });

  it('the sync moves them to the new edition, and names those whose unit it no longer has', async () => {
    const cli = await runCli(['catalog', 'sync', catalogDir], { DATABASE_URL: url() });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('values moved to the unit valid in their period: 1 value(s) of 1 unit(s), in 2027');
    expect(cli.stdout).toContain('warning: [VALUES_WITHOUT_UNIT]');
    expect(cli.stdout).toContain('Values of the 1 unit(s) below have no unit in the catalogue for their period');
    expect(cli.stdout).toContain(`  ${BAC_KAN} (Phường Bắc Kạn): 1 value(s) in 202701; submission(s) ${await submissionIdOf(fixture, BAC_KAN, 'qr.csv')}\n`);

    const ducXuan2027 = await versionKey(DUC_XUAN, '2027-01-01');
    expect((await qrScans(DUC_XUAN, '202701'))!.unit_key).toBe(ducXuan2027);
    const history = await fixture.database.db.selectFrom('mart.observation_history').select(['unit_key', 'value'])
      .where('unit_code', '=', DUC_XUAN).where('period_code', '=', '202701').execute();
    expect(history).toEqual([{ unit_key: ducXuan2027, value: '100' }]);
    // The unit no longer in the catalogue keeps its value as loaded, under the edition it had.
    expect((await qrScans(BAC_KAN, '202701'))).toMatchObject({ value: '200', unit_key: await versionKey(BAC_KAN, '2025-07-01') });
    // December is the 2025 edition's still.
    expect((await qrScans(DUC_XUAN, '202612'))!.unit_key).toBe(await versionKey(DUC_XUAN, '2025-07-01'));
  });

  it('the next run rolls January up along the new edition, with the file staged before the sync checked again', async () => {
    expect((await loadSubmission(fixture.ctx, stagedBeforeSync)).outcome).toBe('restage');
    await run();
    const province = await qrScans('19', '202701');
    expect(province).toMatchObject({ value: '100', reporting_units: 1 });
    expect(province!.unit_key).toBe(await versionKey('19', '2027-01-01'));
    expect(await qrScans('19', '202702')).toMatchObject({ value: '1000', reporting_units: 1 });
    expect((await qrScans(DUC_XUAN, '202702'))!.unit_key).toBe(await versionKey(DUC_XUAN, '2027-01-01'));
    // December still sums both wards of the 2025 edition.
    expect(await qrScans('19', '202612')).toMatchObject({ value: '30', reporting_units: 2 });
  });

  it('a worker checks its next file against the synced catalogue, without waiting for its copy of the old one to expire', async () => {
    await dropFile(fixture.root, DUC_XUAN, 'qr-4.csv', `${WARD_HEADER}\nQR_SCANS;202704;5;lượt\n`);
    await run();
    // The context read the catalogue in beforeAll, before the sync, and that copy has not expired.
    expect(Date.now() - firstReadAt).toBeLessThan(CATALOG_TTL_MS);
    expect((await qrScans(DUC_XUAN, '202704'))!.unit_key).toBe(await versionKey(DUC_XUAN, '2027-01-01'));
  });

  it('a file checked against the catalogue a worker read before the sync is checked again before its load', async () => {
    // A check already under way when the sync committed.
    const stale: StageContext = { ...fixture.ctx, catalog: async () => catalogBeforeSync! };
    await dropFile(fixture.root, DUC_XUAN, 'qr-3.csv', `${WARD_HEADER}\nQR_SCANS;202703;7;lượt\n`);
    const intake = await intakeFile(stale, { sourceId: DUC_XUAN, fileName: 'qr-3.csv' });
    if (intake.outcome !== 'registered') throw new Error(intake.outcome);
    expect((await normaliseSubmission(stale, intake.submissionId)).outcome).toBe('staged');
    expect((await loadSubmission(fixture.ctx, intake.submissionId)).outcome).toBe('restage');
    expect(await qrScans(DUC_XUAN, '202703')).toBeUndefined();

    await run();
    expect((await qrScans(DUC_XUAN, '202703'))!.unit_key).toBe(await versionKey(DUC_XUAN, '2027-01-01'));
    expect(await qrScans('19', '202703')).toMatchObject({ value: '7', reporting_units: 1 });
  });

  it('a sync of the same files again moves nothing, and names the values without a unit again', async () => {
    const summary = await syncCatalog(fixture.database, await readCatalog(catalogDir));
    expect(summary.moved).toEqual({ values: 0, units: 0, years: [] });
    expect(summary.rebuild.structureYears).toEqual([]);
    expect(summary.strays).toEqual([{ code: BAC_KAN, name: 'Phường Bắc Kạn', periods: ['202701'], values: 1, submissions: [await submissionIdOf(fixture, BAC_KAN, 'qr.csv')] }]);
  });

  it('the edition withdrawn again: its values go back to the 2025 edition, and its units are removed', async () => {
    const cli = await runCli(['catalog', 'sync'], { DATABASE_URL: url() });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('no longer in the files, removed: 92 unit version(s)\n');
    expect(cli.stdout).toContain('values moved to the unit valid in their period: 4 value(s) of 1 unit(s), in 2027');
    // Bắc Kạn's January is in its unit's validity again.
    expect(cli.stdout).not.toContain('VALUES_WITHOUT_UNIT');
    expect(await fixture.database.db.selectFrom('core.unit').select('code').where('valid_from', '=', '2027-01-01').execute()).toEqual([]);

    await run();
    const province = await qrScans('19', '202701');
    expect(province).toMatchObject({ value: '300', reporting_units: 2, unit_key: await versionKey('19', '2025-07-01') });
    expect(await qrScans('19', '202703')).toMatchObject({ value: '7', reporting_units: 1 });
  });
});

describe('an edition shortened to end in the middle of a year', () => {
  const fixture = useStageContext('catalog-edition-mid-year');
  const HOANG_VAN_THU = '05440'; // in the edition before the reorganisation only

  it('names the values of its units in the months it no longer covers', async () => {
    // The edition before the reorganisation first ran to the end of 2025, and a ward reported September.
    const longer = await catalogWith([
      { file: 'units/editions.csv', from: 'thai-nguyen-bac-kan-2025-03-01.csv,2000-01-01,2025-06-30,', to: 'thai-nguyen-bac-kan-2025-03-01.csv,2000-01-01,2025-12-31,' },
    ]);
    await syncCatalog(fixture.database, await readCatalog(longer));
    await dropFile(fixture.root, HOANG_VAN_THU, 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202506;6;lượt\nQR_SCANS;202509;9;lượt\n`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);

    const summary = await syncCatalog(fixture.database, await readCatalog());
    expect(summary.moved).toEqual({ values: 0, units: 0, years: [] });
    const held = await submissionIdOf(fixture, HOANG_VAN_THU, 'qr.csv');
    expect(summary.strays).toEqual([{ code: HOANG_VAN_THU, name: 'Phường Hoàng Văn Thụ', periods: ['202509'], values: 1, submissions: [held] }]);

    // As the warning advises: the file withdrawn, no value is left without a unit.
    const withdraw = await runCli(['withdraw', held, '--reason', 'September after the edition ended'], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
    expect(withdraw.stdout).toContain('0 value(s) now from another file, 2 value(s) no longer reported');
    const again = await runCli(['catalog', 'sync'], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
    expect(again.stderr).toBe('');
    expect(again.stdout).not.toContain('VALUES_WITHOUT_UNIT');
  });
});

describe('an edition re-dated', () => {
  const fixture = useStageContext('catalog-edition-redated');
  const url = () => fixture.ctx.config.databaseUrl!;
  const PHONG_QUANG = '01849';
  let redated = '';

  const qrScans = async (unit: string, period: string) => (await factValues(fixture.database, { unit, indicator: 'QR_SCANS', period }))[0];
  async function run() {
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  }

  beforeAll(async () => {
    await dropFile(fixture.root, DUC_XUAN, 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202507;10;lượt\n`);
    await dropFile(fixture.root, '05440', 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202506;6;lượt\n`);
    await run();
    // The reorganisation moved to 1 June: both editions and the crosswalk change their dates.
    redated = await catalogWith([
      { file: 'units/editions.csv', from: '2000-01-01,2025-06-30,', to: '2000-01-01,2025-05-31,' },
      { file: 'units/editions.csv', from: EDITION_2025, to: 'thai-nguyen-2025-07-01.csv,2025-06-01,,' },
      { file: 'units/crosswalks.csv', from: 'crosswalk-2025-07-01.csv,2025-07-01', to: 'crosswalk-2025-07-01.csv,2025-06-01' },
    ]);
  });

  it('replaces the versions of the old dates, with their values and crosswalk rows, instead of adding overlapping ones', async () => {
    const summary = await syncCatalog(fixture.database, await readCatalog(redated));
    expect(summary.removed).toEqual({ unitVersions: 93, indicators: 0, crosswalkRows: 283, targets: 0, forms: 0 });
    expect(summary.moved).toEqual({ values: 1, units: 1, years: [2025] });
    // Hoàng Văn Thụ's June is after its edition now, and the new one has no such ward.
    expect(summary.strays).toEqual([{ code: '05440', name: 'Phường Hoàng Văn Thụ', periods: ['202506'], values: 1, submissions: [await submissionIdOf(fixture, '05440', 'qr.csv')] }]);
    expect(await fixture.database.db.selectFrom('core.unit').select('code').where('valid_from', '=', '2025-07-01').execute()).toEqual([]);
    expect(await fixture.database.db.selectFrom('core.unit_crosswalk').select('effective_date').distinct().execute()).toEqual([{ effective_date: '2025-06-01' }]);

    // A ward's file is resolved against one version, not rejected as ambiguous.
    await dropFile(fixture.root, '01843', 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202507;20;lượt\n`);
    await run();
    expect(await qrScans('19', '202507')).toMatchObject({ value: '30', reporting_units: 2 });
    expect(await qrScans('19', '202506')).toBeUndefined();
  });

  it('will not remove a unit that holds values no version in the files covers, and changes nothing', async () => {
    await dropFile(fixture.root, PHONG_QUANG, 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202508;8;lượt\n`);
    await run();
    const withoutPhongQuang = await catalogWith([await deleteLine('units/thai-nguyen-2025-07-01.csv', `${PHONG_QUANG},`)]);
    // The re-dated editions as synced above, without the commune.
    for (const file of ['units/editions.csv', 'units/crosswalks.csv']) await writeFile(path.join(withoutPhongQuang, file), await readFile(path.join(redated, file)));
    const versionBefore = await fixture.database.db.selectFrom('core.catalog_version').select('version').executeTakeFirstOrThrow();

    const cli = await runCli(['catalog', 'sync', withoutPhongQuang], { DATABASE_URL: url() });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('[CATALOG_UNIT_IN_USE]');
    expect(cli.stderr).toContain(`${PHONG_QUANG} (Xã Phong Quang, 2025-06-01): 1 (202508; submission(s) ${await submissionIdOf(fixture, PHONG_QUANG, 'qr.csv')})`);
    expect(await fixture.database.db.selectFrom('core.catalog_version').select('version').executeTakeFirstOrThrow()).toEqual(versionBefore);
    expect(await qrScans(PHONG_QUANG, '202508')).toMatchObject({ value: '8' });
    expect(await fixture.database.db.selectFrom('core.unit').select('valid_from').where('code', '=', PHONG_QUANG).orderBy('valid_from').execute())
      .toEqual([{ valid_from: '2000-01-01' }, { valid_from: '2025-06-01' }]);
  });
});

describe('a sync while a load is in flight', () => {
  const fixture = useStageContext('catalog-edition-load');

  it('waits for the load to commit, then moves what it loaded', async () => {
    const catalogDir = await catalogWithEdition2027();
    const submissionId = await stageWardFile(fixture, DUC_XUAN, 'qr.csv', ['QR_SCANS;202701;100;lượt']);
    let load: Promise<unknown> = Promise.resolve();
    let sync: Promise<Awaited<ReturnType<typeof syncCatalog>>> | undefined;
    let synced = false;
    // The load stops inside its transaction, holding the catalogue lock shared, as every load does.
    await whileStagedRowsHeld(fixture.database, submissionId, async () => {
      load = loadSubmission(fixture.ctx, submissionId);
      await waitForLoadToWait(fixture.database);
      sync = syncCatalog(fixture.database, await readCatalog(catalogDir)).finally(() => (synced = true));
      await waitFor('the sync to wait for the load', async () =>
        (await activeQueries(fixture.database)).some((q) => /^SELECT pg_advisory_xact_lock\(hashtext\(\$1\)\)$/.test(q.query) && q.wait_event_type === 'Lock'));
      expect(synced).toBe(false);
    });
    expect(await load).toMatchObject({ outcome: 'loaded' });
    expect((await sync!).moved).toEqual({ values: 1, units: 1, years: [2027] });
    const ducXuan = (await factValues(fixture.database, { unit: DUC_XUAN, indicator: 'QR_SCANS', period: '202701' }))[0]!;
    const version2027 = await fixture.database.db.selectFrom('core.unit').select('unit_key').where('code', '=', DUC_XUAN).where('valid_from', '=', '2027-01-01').executeTakeFirstOrThrow();
    expect(ducXuan.unit_key).toBe(version2027.unit_key);
  });
});
