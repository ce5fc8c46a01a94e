import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogIssues, readCatalog } from '../../src/catalog/files.js';
import { syncCatalog } from '../../src/catalog/sync.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { DstatsError } from '../../src/errors.js';
import { editedCatalog } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/services.js';

describe('catalogue', () => {
  let tdb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    await migrate(database);
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
  });

  it('syncs units with validity ranges: a reused code means two units, each with its own parents', async () => {
    const summary = await syncCatalog(database, await readCatalog());
    expect(summary.indicators).toBe(50);
    const versions = await database.db.selectFrom('core.unit').select(['code', 'name', 'valid_from', 'valid_to', 'level']).where('code', '=', '05443').orderBy('valid_from').execute();
    expect(versions).toEqual([
      { code: '05443', name: 'Phường Trưng Vương', valid_from: '2000-01-01', valid_to: '2025-06-30', level: 3 },
      { code: '05443', name: 'Phường Phan Đình Phùng', valid_from: '2025-07-01', valid_to: null, level: 2 },
    ]);
    const ancestors = await database.db
      .selectFrom('core.unit_ancestor as ua')
      .innerJoin('core.unit as u', 'u.unit_key', 'ua.unit_key')
      .innerJoin('core.unit as a', 'a.unit_key', 'ua.ancestor_key')
      .select(['a.code', 'ua.depth'])
      .where('u.code', '=', '05431')
      .where('u.valid_from', '=', '2000-01-01')
      .orderBy('ua.depth')
      .execute();
    expect(ancestors).toEqual([
      { code: '05431', depth: 0 },
      { code: '164', depth: 1 },
      { code: '19', depth: 2 },
    ]);
    // Wards are sources for themselves; departments come from sources.csv.
    const sources = await database.db.selectFrom('core.source').select(['source_id', 'scope', 'scope_unit_code']).where('source_id', 'in', ['05440', '164-NV', '164-TCKH']).orderBy('source_id').execute();
    expect(sources).toEqual([
      { source_id: '05440', scope: 'self', scope_unit_code: '05440' },
      { source_id: '164-NV', scope: 'self', scope_unit_code: '164' },
      { source_id: '164-TCKH', scope: 'descendants', scope_unit_code: '164' },
    ]);
  });

  it('a second sync changes nothing', async () => {
    const count = async () => (await database.db.selectFrom('core.unit').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    await syncCatalog(database, await readCatalog());
    expect(await count()).toBe(before);
  });

  it('reports every catalogue error with its file, line and field', async () => {
    const tmp = await editedCatalog('catalog', [
      { file: 'indicators.csv', from: 'QR_SCANS,digital,Lượt quét mã QR,QR code scans,count,sum,', to: 'QR_SCANS,digital,Lượt quét mã QR,QR code scans,count,average,' },
      { file: 'targets.csv', from: '164,DIGITAL_BUSINESSES,level,>,300', to: '164,DIGITAL_FIRMS,level,>,300' },
      { file: 'units/thai-nguyen-2025-07-01.csv', from: '01840,Phường Đức Xuân,Phường,2,19', to: '1840x,Phường Đức Xuân,Phường,2,19' },
      { file: 'indicators.csv', from: 'pct,weighted_mean,MARKETS_ELIGIBLE,last,', to: 'pct,weighted_mean,MARKETS_ELIGIBLE,sum,' },
      { file: 'indicators.csv', from: 'pct,none,,last,0,100,higher,SIPAS', to: 'pct,none,,sum,0,100,higher,SIPAS' },
      { file: 'indicators.csv', from: 'higher,Giải ngân đầu tư công', to: 'higher,Giải ngân đầu tư công|thu ngân sách' },
    ]);
    try {
      const error = await readCatalog(tmp.dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DstatsError);
      const issues = catalogIssues(error);
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: 'indicators.csv', line: 30, field: 'aggregation' }),
          expect.objectContaining({ file: 'targets.csv', line: 11, field: 'indicator_code' }),
          expect.objectContaining({ file: 'units/thai-nguyen-2025-07-01.csv', line: 3, field: 'code' }),
          expect.objectContaining({ file: 'indicators.csv', line: 40, field: 'period_aggregation' }),
          expect.objectContaining({ file: 'indicators.csv', line: 44, field: 'period_aggregation' }),
          expect.objectContaining({ file: 'indicators.csv', line: 3, field: 'aliases', detail: expect.stringContaining('"thu ngân sách" already names BUDGET_REVENUE (line 2)') }),
        ]),
      );
      // The CLI prints them and exits 2 (configuration error), storing nothing.
      const cli = await runCli(['catalog', 'sync', tmp.dir], { DATABASE_URL: tdb.url });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain('CATALOG_INVALID');
      expect(cli.stderr).toMatch(/targets\.csv line 11, field indicator_code: unknown indicator DIGITAL_FIRMS/);
      expect(cli.stderr).toContain('field period_aggregation: MARKETS_4_0_RATE is a percentage: its periods cannot be summed');
    } finally {
      await tmp.remove();
    }
  });

  // Found by exploratory testing: one mistake made dozens of lines about the other files.
  it('tells a mistake once: no cascade from a file it cannot read or a row it cannot take', async () => {
    const issuesOf = (dir: string) => readCatalog(dir).then(() => [], (e: unknown) => catalogIssues(e));
    const quote = await editedCatalog('catalog-quote', [
      { file: 'indicators.csv', from: 'PUBLIC_INVESTMENT_DISBURSED,budget,Giải ngân', to: 'PUBLIC_INVESTMENT_DISBURSED,budget,"Giải ngân' },
    ]);
    const badMin = await editedCatalog('catalog-min', [
      { file: 'indicators.csv', from: 'Public investment disbursed,bn_vnd,sum,,sum,0,', to: 'Public investment disbursed,bn_vnd,sum,,sum,abc,' },
    ]);
    const semicolons = await editedCatalog('catalog-semicolons', []);
    try {
      const unreadable = await issuesOf(quote.dir);
      expect(unreadable.length).toBeGreaterThan(0);
      expect(unreadable.every((i) => i.file === 'indicators.csv')).toBe(true);
      expect(unreadable[0]!.detail).toContain('not readable as CSV up to this line');
      expect(await issuesOf(badMin.dir)).toEqual([expect.objectContaining({ file: 'indicators.csv', line: 3, field: 'min' })]);
      // sources.csv as Excel set to Vietnamese saves it: ';' between fields.
      const sources = path.join(semicolons.dir, 'sources.csv');
      const rows: string[][] = parse(await readFile(sources, 'utf8'), { bom: true });
      await writeFile(sources, stringify(rows, { delimiter: ';' }));
      expect((await readCatalog(semicolons.dir)).sources.length).toBe((await readCatalog()).sources.length);
      expect(await issuesOf(path.join(semicolons.dir, 'nope'))).toEqual([
        expect.objectContaining({ file: path.join(semicolons.dir, 'nope'), detail: expect.stringContaining('no catalogue folder here') }),
      ]);
    } finally {
      await Promise.all([quote.remove(), badMin.remove(), semicolons.remove()]);
    }
  });
});
