// The catalogue files are the truth: a target, form or indicator a city deletes from schemas/ is
// gone after `catalog sync`, as a changed one is changed. An indicator that has values stays, and
// the sync stops without changing anything, since those values would count for nothing.
// (Unit versions and the crosswalk: catalog-new-edition.test.ts.)
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { deleteLine, useEditedCatalogs } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { dropFile } from '../helpers/drop-root.js';
import { useStageContext } from '../helpers/pipeline.js';
import { readErrorsCsv } from '../helpers/submissions.js';

const WARD_HEADER = 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính';
const WARD = '05440';
const INDUSTRY_TARGET = '164,LOCAL_INDUSTRY_VALUE,avg_annual_growth_pct,';

const catalogWith = useEditedCatalogs('catalog-removed');

describe('what the catalogue files no longer have', () => {
  const fixture = useStageContext('catalog-removed');
  const url = () => fixture.ctx.config.databaseUrl!;
  async function run() {
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
  }
  const submission = (fileName: string) =>
    fixture.database.db.selectFrom('core.submission').select(['state', 'stored_path']).where('file_name', '=', fileName).executeTakeFirstOrThrow();

  beforeAll(async () => {
    await dropFile(fixture.root, WARD, 'san-xuat.csv', `${WARD_HEADER}\nPRODUCTION_VALUE_TOTAL;2024;120;tỷ đồng\n`);
    await run();
  });

  it('a target deleted from targets.csv leaves the mart, and the others keep their ids', async () => {
    const targets = () => fixture.database.db.selectFrom('core.target').select(['target_id', 'indicator_code']).orderBy('target_id').execute();
    const before = await targets();
    expect(before.map((t) => t.indicator_code)).toContain('LOCAL_INDUSTRY_VALUE');
    const dir = await catalogWith([await deleteLine('targets.csv', INDUSTRY_TARGET)]);
    const summary = await syncCatalog(fixture.database, await readCatalog(dir));
    expect(summary.removed).toMatchObject({ targets: 1, indicators: 0, forms: 0, unitVersions: 0, crosswalkRows: 0 });
    expect(await targets()).toEqual(before.filter((t) => t.indicator_code !== 'LOCAL_INDUSTRY_VALUE'));
    expect(await fixture.database.db.selectFrom('mart.target_progress').select('indicator_code').where('indicator_code', '=', 'LOCAL_INDUSTRY_VALUE').execute()).toEqual([]);
  });

  it('a form deleted from schemas/forms is gone from the database', async () => {
    const dir = await catalogWith([await deleteLine('expectations.csv', '164-LDTBXH,ward-social,')]);
    await rm(path.join(dir, 'forms/ward-social.json'));
    const summary = await syncCatalog(fixture.database, await readCatalog(dir));
    expect(summary.removed).toMatchObject({ forms: 1 });
    expect((await fixture.database.db.selectFrom('core.form').select('form_id').execute()).map((f) => f.form_id)).not.toContain('ward-social');
  });

  it('an indicator without values deleted from indicators.csv: files with it are rejected', async () => {
    const dir = await catalogWith([await deleteLine('indicators.csv', 'ADMIN_REFORM_SPENDING,')]);
    const cli = await runCli(['catalog', 'sync', dir], { DATABASE_URL: url() });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('no longer in the files, removed: 1 indicator(s)');

    await dropFile(fixture.root, WARD, 'cai-cach.csv', `${WARD_HEADER}\nADMIN_REFORM_SPENDING;2024;3;tỷ đồng\n`);
    await run();
    const rejected = await submission('cai-cach.csv');
    expect(rejected.state).toBe('rejected');
    expect((await readErrorsCsv(`${rejected.stored_path}.errors.csv`)).map((e) => e.code)).toEqual(['UNKNOWN_INDICATOR']);
  });

  it('an indicator with values stays, and the sync stops without changing anything', async () => {
    const dir = await catalogWith([await deleteLine('indicators.csv', 'PRODUCTION_VALUE_TOTAL,')]);
    const versionBefore = await fixture.database.db.selectFrom('core.catalog_version').select('version').executeTakeFirstOrThrow();
    const cli = await runCli(['catalog', 'sync', dir], { DATABASE_URL: url() });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('[CATALOG_INDICATOR_IN_USE]');
    expect(cli.stderr).toContain('PRODUCTION_VALUE_TOTAL (2024)');
    expect(await fixture.database.db.selectFrom('core.catalog_version').select('version').executeTakeFirstOrThrow()).toEqual(versionBefore);
    expect(await fixture.database.db.selectFrom('core.indicator').select('code').where('code', '=', 'PRODUCTION_VALUE_TOTAL').execute()).toHaveLength(1);
    // The rest of the sync was rolled back too: ADMIN_REFORM_SPENDING, which these files have again, was not added back.
    expect(await fixture.database.db.selectFrom('core.indicator').select('code').where('code', '=', 'ADMIN_REFORM_SPENDING').execute()).toEqual([]);
  });
});
