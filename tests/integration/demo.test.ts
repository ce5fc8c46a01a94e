// `dstats demo`: the generated drop root goes through the real pipeline. Every file but the
// deliberately broken ones loads, the broken ones are rejected for their stated reason, the city's
// budget revenue is the sum of what was generated, targets and completeness have something to say,
// and the same seed gives the same bytes.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connect.js';
import { writeDemoDropRoot, type DemoManifest } from '../../src/demo/index.js';
import { canonicalDecimal } from '../../src/normalise/numbers.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { factValues, preparedContext } from '../helpers/pipeline.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';
import { warehouseDocQueries } from '../helpers/doc-sql.js';

const SEED = 7;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('dstats demo drop root', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let manifest: DemoManifest;
  let inboxFiles: string[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('demo');
    manifest = await writeDemoDropRoot(root.dir, { seed: SEED });
    inboxFiles = await listFiles(path.join(root.dir, 'inbox'));
    const prepared = await preparedContext({ databaseUrl: tdb.url, root: root.dir });
    database = prepared.database;
    await runInProcess(prepared.ctx);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await tdb?.drop();
    await root?.remove();
  });

  it('writes a few hundred files, well under 100k values, with the broken files listed', () => {
    expect(inboxFiles).toHaveLength(manifest.files);
    expect(manifest.files).toBeGreaterThan(200);
    expect(manifest.files).toBeLessThan(400);
    expect(manifest.values).toBeLessThan(100_000);
    expect(Object.values(manifest.bySource).reduce((a, b) => a + b, 0)).toBe(manifest.files);
    expect(manifest.broken.map((b) => b.code).sort()).toEqual(['NOT_A_NUMBER', 'TOTAL_MISMATCH', 'UNIT_NOT_ALLOWED', 'UNKNOWN_INDICATOR']);
    expect(manifest.periods).toEqual(expect.arrayContaining(['2021', '2021S1', '202101', '2023S2', '202312']));
  });

  it('loads every file but the broken ones, and rejects exactly those, each for its stated reason', async () => {
    const submissions = await database.db.selectFrom('core.submission').select(['source_id', 'file_name', 'state', 'stored_path', 'values_loaded']).execute();
    expect(submissions).toHaveLength(manifest.files);
    const key = (s: { source: string; file: string }) => `${s.source}/${s.file}`;
    const broken = new Set(manifest.broken.map(key));
    const notLoaded = submissions.filter((s) => s.state !== 'loaded').map((s) => `${s.source_id}/${s.file_name} ${s.state}`);
    expect(notLoaded.sort()).toEqual([...broken].map((b) => `${b} rejected`).sort());
    expect(submissions.filter((s) => s.state === 'loaded').reduce((sum, s) => sum + (s.values_loaded ?? 0), 0)).toBe(manifest.values);
    for (const b of manifest.broken) {
      const s = submissions.find((x) => x.source_id === b.source && x.file_name === b.file)!;
      const report = await readFile(`${s.stored_path}.errors.csv`, 'utf8');
      expect(report, key(b)).toContain(b.code);
    }
  });

  it('gives the city, for each half, exactly the sum of the generated ward figures', async () => {
    const halves = Object.keys(manifest.expected.cityBudgetRevenue).sort();
    expect(halves).toEqual(['2021S1', '2021S2', '2022S1', '2022S2', '2023S1', '2023S2']);
    for (const half of halves) {
      const [city] = (await factValues(database, { unit: '164', indicator: 'BUDGET_REVENUE', period: half })).filter((v) => v.series === 'actual');
      expect(city, half).toMatchObject({ is_derived: true, reporting_units: 32, expected_units: 32 });
      expect(canonicalDecimal(city!.value), half).toBe(canonicalDecimal(manifest.expected.cityBudgetRevenue[half]!));
    }
    // The real first half of 2022: 1.348,9 tỷ đồng, 51% of the province plan.
    expect(manifest.expected.cityBudgetRevenue['2022S1']).toBe('1348.90');
    const plan = await database.db
      .selectFrom('mart.plan_progress')
      .select(['plan_province', 'pct_of_plan_province'])
      .where('unit_code', '=', '164')
      .where('indicator_code', '=', 'BUDGET_REVENUE')
      .where('period_code', '=', '2022S1')
      .executeTakeFirstOrThrow();
    expect(canonicalDecimal(plan.plan_province!)).toBe('2644.9');
    expect(Number(plan.pct_of_plan_province).toFixed(0)).toBe('51');
  });

  it('gives the resolution targets a status', async () => {
    const targets = await database.db.selectFrom('mart.target_progress').select(['indicator_code', 'status']).execute();
    const status = (code: string) => targets.filter((t) => t.indicator_code === code).map((t) => t.status);
    for (const code of ['BUDGET_REVENUE', 'POOR_HOUSEHOLD_RATE', 'LOCAL_INDUSTRY_VALUE', 'PRODUCTION_VALUE_AGRICULTURE', 'NEW_RURAL_ADVANCED', 'NEW_RURAL_MODEL']) {
      expect(status(code), code).not.toContain('no_data');
      expect(status(code).length, code).toBeGreaterThan(0);
    }
  });

  it('answers every query of docs/warehouse.md, each with rows', async () => {
    // The queries analysts start from must run as printed (one once named a column twice).
    const statements = await warehouseDocQueries();
    expect(statements.length).toBeGreaterThanOrEqual(6);
    for (const statement of statements) {
      const { rows } = await sql.raw(statement).execute(database.db);
      expect(rows.length, statement.split('\n')[0]).toBeGreaterThan(0);
    }
  });

  it('reports completeness from the first half of 2021 on', async () => {
    const rows = await database.db.selectFrom('mart.completeness').select(['source_id', 'form_id', 'status']).where('period_code', '=', '2021S1').execute();
    // 32 ward reports and the finance office's table.
    expect(rows.length).toBeGreaterThanOrEqual(33);
    expect(rows.some((r) => r.source_id === '164-TCKH')).toBe(true);
    const plannedMissing = manifest.slots.filter((s) => s.intended === 'missing');
    expect(plannedMissing.length).toBeGreaterThan(0);
    for (const slot of plannedMissing) {
      const [row] = await database.db
        .selectFrom('mart.completeness')
        .select('status')
        .where('source_id', '=', slot.source)
        .where('form_id', '=', slot.form)
        .where('period_code', '=', slot.period)
        .execute();
      expect(row?.status, `${slot.source} ${slot.period}`).toBe('missing');
    }
  });

  it('writes the same bytes for the same seed, and different ones for another seed', async () => {
    const a = await tempDir('demo-a');
    const b = await tempDir('demo-b');
    const c = await tempDir('demo-c');
    try {
      const [ma, mb] = [await writeDemoDropRoot(a.dir, { seed: SEED }), await writeDemoDropRoot(b.dir, { seed: SEED })];
      await writeDemoDropRoot(c.dir, { seed: SEED + 1 });
      expect(mb).toEqual(ma);
      const files = await listFiles(a.dir);
      expect(await listFiles(b.dir)).toEqual(files);
      expect(files).toHaveLength(ma.files);
      let differs = 0;
      for (const f of files) {
        const bytes = await readFile(path.join(a.dir, f));
        expect((await readFile(path.join(b.dir, f))).equals(bytes), f).toBe(true);
        const other = await readFile(path.join(c.dir, f)).catch(() => null);
        if (!other?.equals(bytes)) differs++;
      }
      expect(differs).toBeGreaterThan(files.length / 2);
    } finally {
      await a.remove();
      await b.remove();
      await c.remove();
    }
  });
});
