// A new edition of the administrative units is often published after the first months it covers
// were already reported: the wards' January figures are loaded against the edition in force, and
// in March the city syncs an edition valid from 1 January that closes it. Those values must then
// count for the units of the new edition, as a file sent after the sync would; the values of a
// unit the new edition no longer has are kept as loaded, left out of the rollups, and named.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { CatalogLookup } from '../../src/catalog/lookup.js';
import { loadSubmission } from '../../src/load/load-submission.js';
import { normaliseSubmission } from '../../src/normalise/stage.js';
import { CATALOG_TTL_MS, type StageContext } from '../../src/pipeline/context.js';
import { intakeFile } from '../../src/pipeline/intake.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { editedCatalog } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { dropFile } from '../helpers/drop-root.js';
import { factValues, stageWardFile, useStageContext } from '../helpers/pipeline.js';

const EDITION_2025 = 'thai-nguyen-2025-07-01.csv,2025-07-01,,';
const WARD_HEADER = 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính';
// Đức Xuân (01840) is in both editions; Bắc Kạn (01843) is not in the 2027 one.
const DUC_XUAN = '01840';
const BAC_KAN = '01843';

const copies: { remove(): Promise<void> }[] = [];
afterAll(async () => {
  for (const copy of copies) await copy.remove();
});

/** The shipped catalogue with a 2027 edition: the 2025 one without Bắc Kạn, which closes the 2025 one. */
async function catalogWithEdition2027(): Promise<string> {
  const copy = await editedCatalog('catalog-edition', [
    {
      file: 'units/editions.csv',
      from: EDITION_2025,
      to: 'thai-nguyen-2025-07-01.csv,2025-07-01,2026-12-31,\nthai-nguyen-2027-01-01.csv,2027-01-01,,',
    },
  ]);
  copies.push(copy);
  const units2025 = await readFile(path.join(copy.dir, 'units/thai-nguyen-2025-07-01.csv'), 'utf8');
  const units2027 = units2025.split('\n').filter((line) => !line.startsWith(`${BAC_KAN},`)).join('\n');
  await writeFile(path.join(copy.dir, 'units/thai-nguyen-2027-01-01.csv'), units2027);
  return copy.dir;
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
    expect(cli.stdout).toContain('values moved to the unit valid in their period: 2 values of 1 unit(s), in 2027');
    expect(cli.stdout).toContain(`${BAC_KAN} (Phường Bắc Kạn): 1 value(s) in 202701`);

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

  it('the next run rolls January up along the new edition, with the file staged before the sync', async () => {
    expect((await loadSubmission(fixture.ctx, stagedBeforeSync)).outcome).toBe('loaded');
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

  it('a file checked against the catalogue a worker read before the sync is moved by the next sync', async () => {
    // Workers re-read the catalogue at most a minute after a sync (src/pipeline/context.ts).
    const stale: StageContext = { ...fixture.ctx, catalog: async () => catalogBeforeSync! };
    await dropFile(fixture.root, DUC_XUAN, 'qr-3.csv', `${WARD_HEADER}\nQR_SCANS;202703;7;lượt\n`);
    const intake = await intakeFile(stale, { sourceId: DUC_XUAN, fileName: 'qr-3.csv' });
    if (intake.outcome !== 'registered') throw new Error(intake.outcome);
    expect((await normaliseSubmission(stale, intake.submissionId)).outcome).toBe('staged');
    expect((await loadSubmission(stale, intake.submissionId)).outcome).toBe('loaded');
    expect((await qrScans(DUC_XUAN, '202703'))!.unit_key).toBe(await versionKey(DUC_XUAN, '2025-07-01'));
    await run();
    expect(await qrScans('19', '202703')).toBeUndefined();

    const summary = await syncCatalog(fixture.database, await readCatalog(catalogDir));
    expect(summary.moved).toEqual({ values: 1, units: 1, years: [2027] });
    // The stray values are named by every sync.
    expect(summary.strays).toEqual([{ code: BAC_KAN, name: 'Phường Bắc Kạn', periods: ['202701'], values: 1 }]);
    await run();
    expect(await qrScans('19', '202703')).toMatchObject({ value: '7', reporting_units: 1 });
  });

  it('a sync with nothing held outside its unit\'s validity moves nothing', async () => {
    const summary = await syncCatalog(fixture.database, await readCatalog(catalogDir));
    expect(summary.moved).toEqual({ values: 0, units: 0, years: [] });
    expect(summary.rebuild.structureYears).toEqual([]);
  });
});

describe('an edition shortened to end in the middle of a year', () => {
  const fixture = useStageContext('catalog-edition-mid-year');
  const HOANG_VAN_THU = '05440'; // in the edition before the reorganisation only

  it('names the values of its units in the months it no longer covers', async () => {
    // The edition before the reorganisation first ran to the end of 2025, and a ward reported September.
    const longer = await editedCatalog('catalog-edition-longer', [
      { file: 'units/editions.csv', from: 'thai-nguyen-bac-kan-2025-03-01.csv,2000-01-01,2025-06-30,', to: 'thai-nguyen-bac-kan-2025-03-01.csv,2000-01-01,2025-12-31,' },
    ]);
    copies.push(longer);
    await syncCatalog(fixture.database, await readCatalog(longer.dir));
    await dropFile(fixture.root, HOANG_VAN_THU, 'qr.csv', `${WARD_HEADER}\nQR_SCANS;202506;6;lượt\nQR_SCANS;202509;9;lượt\n`);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);

    const summary = await syncCatalog(fixture.database, await readCatalog());
    expect(summary.moved).toEqual({ values: 0, units: 0, years: [] });
    expect(summary.strays).toEqual([{ code: HOANG_VAN_THU, name: 'Phường Hoàng Văn Thụ', periods: ['202509'], values: 1 }]);
  });
});
