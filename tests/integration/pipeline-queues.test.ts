// End to end through BullMQ on real Postgres and Redis: files dropped in the inbox travel through
// every queue stage into mart.fact_value.
import { randomBytes } from 'node:crypto';
import { cp, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runViaQueues } from '../../jobs/run-via-queues.js';
import type { Database } from '../../src/db/connect.js';
import type { StageContext } from '../../src/pipeline/context.js';
import { dropFile, dropSamples, SAMPLES } from '../helpers/drop-root.js';
import { factValues, preparedContext } from '../helpers/pipeline.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

describe('pipeline through BullMQ', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let ctx: StageContext;
  let database: Database;
  const { redisUrl } = serverUrls();
  const run = () => runViaQueues(ctx, { startLocalWorkers: true, pollMs: 50 });
  const observations = async () => Number((await database.db.selectFrom('core.observation').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('queues');
    ({ ctx, database } = await preparedContext({ databaseUrl: tdb.url, root: root.dir, config: { queuePrefix: testQueuePrefix(), redisUrl } }));
    await dropSamples(root.dir, ['164-NV', '164-TCKH', '05440', '05443']);
    await run();
  });
  afterAll(async () => {
    await database.close();
    await tdb.drop();
    await root.remove();
  });

  it('loads the department file: PAR Index 86.42 for the city in 2022', async () => {
    const [par] = await factValues(database, { unit: '164', indicator: 'PAR_INDEX_SCORE', period: '2022' });
    expect(par).toMatchObject({ value: '86.42', series: 'actual', status: 'official', is_derived: false, uom: 'points' });
    expect(par!.submission_id).not.toBeNull();
  });

  it('rolls ward budget revenue up to the city and the province along the 2022 hierarchy', async () => {
    const [city] = await factValues(database, { unit: '164', indicator: 'BUDGET_REVENUE', period: '2022S1' });
    // 29,05 + 52,15 + 50,45 + 24,19 + 69,61 + 57,65 tỷ đồng, exactly.
    expect(city).toMatchObject({ value: '283.10', is_derived: true, reporting_units: 6, expected_units: 32, uom: 'bn_vnd' });
    const [province] = await factValues(database, { unit: '19', indicator: 'BUDGET_REVENUE', period: '2022S1' });
    expect(province).toMatchObject({ value: '283.10', is_derived: true, reporting_units: 1, expected_units: 9 });
    // The province plan came as triệu đồng and is stored in tỷ đồng.
    const [plan] = await factValues(database, { unit: '05431', indicator: 'BUDGET_REVENUE', period: '2022' });
    expect(plan).toMatchObject({ series: 'plan_province', value: '53.048' });
  });

  it('keeps the official department figure over the ward estimate for the same cell', async () => {
    const [ward] = await factValues(database, { unit: '05440', indicator: 'BUDGET_REVENUE', period: '2022S1' });
    expect(ward).toMatchObject({ value: '24.19', status: 'official' });
    const history = await database.db
      .selectFrom('core.observation as o')
      .innerJoin('core.unit as u', 'u.unit_key', 'o.unit_key')
      .select(['o.value', 'o.status', 'o.row_no'])
      .where('u.code', '=', '05440')
      .where('o.indicator_code', '=', 'BUDGET_REVENUE')
      .where('o.period_code', '=', '2022S1')
      .orderBy('o.value')
      .execute();
    // Both stay in history, each with its source line.
    expect(history).toEqual([
      { value: '24.19', status: 'official', row_no: 8 },
      { value: '42.75', status: 'estimate', row_no: 5 },
    ]);
  });

  it('archives accepted files with a receipt and leaves the inbox empty', async () => {
    const receipt = JSON.parse(await readFile(path.join(root.dir, 'archive/164-NV/cai-cach-hanh-chinh-2022.csv.receipt.json'), 'utf8'));
    expect(receipt).toMatchObject({ outcome: 'loaded', source_id: '164-NV', rows: 4, values_loaded: 4 });
    expect(receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const source of ['164-NV', '164-TCKH', '05440', '05443']) {
      expect(await readdir(path.join(root.dir, 'inbox', source))).toEqual([]);
    }
  });

  it('rejects the faulty file whole, with one report line per bad row', async () => {
    const report = await readFile(path.join(root.dir, 'rejected/05443/loi-dinh-dang.csv.errors.csv'), 'utf8');
    expect(report.startsWith('\uFEFF')).toBe(true);
    const rows: string[][] = parse(report.slice(1));
    expect(rows[0]).toEqual(['row', 'column', 'value', 'code', 'message_vi', 'message_en']);
    expect(rows.slice(1).map((r) => [r[0], r[3]])).toEqual([
      ['2', 'NOT_A_NUMBER'],
      ['3', 'UNKNOWN_PERIOD'],
      ['4', 'UNIT_NOT_ALLOWED'],
      ['5', 'UNKNOWN_INDICATOR'],
      ['6', 'OUT_OF_RANGE'],
      ['7', 'UOM_MISMATCH'],
      ['8', 'UNKNOWN_UNIT'],
    ]);
    // The formula in the unknown unit comes back neutralised.
    expect(rows[7]![2]).toBe('\'=HYPERLINK("http://x")');
    // Nothing of the rejected file reached the warehouse (05443's budget figure came from 164-TCKH).
    const rejected = await database.db.selectFrom('core.submission').select('submission_id').where('source_id', '=', '05443').executeTakeFirstOrThrow();
    const loaded = await database.db.selectFrom('core.observation').select('observation_id').where('submission_id', '=', rejected.submission_id).execute();
    expect(loaded).toEqual([]);
    expect(await factValues(database, { unit: '05443', indicator: 'QR_POINTS' })).toEqual([]);
  });

  it('loads the same bytes once: a second drop is archived as a duplicate', async () => {
    const before = await observations();
    await cp(path.join(SAMPLES, '164-NV'), path.join(root.dir, 'inbox', '164-NV'), { recursive: true });
    await run();
    expect(await observations()).toBe(before);
    const duplicate = await database.db.selectFrom('core.submission').selectAll().where('state', '=', 'duplicate').executeTakeFirstOrThrow();
    expect(duplicate.duplicate_of).not.toBeNull();
    const archived = await readdir(path.join(root.dir, 'archive/164-NV'));
    expect(archived.filter((n) => n.endsWith('.csv'))).toHaveLength(2);
  });

  it('rejects random bytes without stopping the other files', async () => {
    await dropFile(root.dir, '05431', 'rac.csv', randomBytes(4096));
    await dropFile(root.dir, '05434', 'qr-2022S1.csv', 'indicator_code,value,uom\nQR_POINTS,395,điểm\n');
    await run();
    const states = await database.db.selectFrom('core.submission').select(['source_id', 'state']).where('source_id', 'in', ['05431', '05434']).orderBy('source_id').execute();
    expect(states).toEqual([
      { source_id: '05431', state: 'rejected' },
      { source_id: '05434', state: 'loaded' },
    ]);
    const [qr] = await factValues(database, { unit: '05434', indicator: 'QR_POINTS', period: '2022S1' });
    expect(qr!.value).toBe('395');
  });
});
