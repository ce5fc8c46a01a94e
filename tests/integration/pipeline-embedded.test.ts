// The embedded default through the real CLI: no DATABASE_URL, no REDIS_URL, PGlite under
// <root>/.dstats and the stages in-process.
import { access, cp, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { editedCatalog } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { dropSamples, SAMPLES } from '../helpers/drop-root.js';
import { factValues } from '../helpers/pipeline.js';
import { tempDir } from '../helpers/services.js';

describe('embedded default (PGlite, in-process stages)', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const database = await openDatabase({ embeddedDir: path.join(root.dir, '.dstats') });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };
  const observationCount = () =>
    withDb(async (d) => Number((await d.db.selectFrom('core.observation').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n));

  beforeAll(async () => {
    root = await tempDir('embedded');
    await dropSamples(root.dir, ['164-NV']);
  });
  afterAll(async () => root.remove());

  it('migrate, catalog sync and run load PAR_INDEX_SCORE 86.42 for 164 in 2022, saying it runs in-process', async () => {
    const env = { DSTATS_ROOT: root.dir };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const sync = await runCli(['catalog', 'sync'], env);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/catalogue synced: \d+ units, 50 indicators/);
    const run = await runCli(['run', '--root', root.dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('no REDIS_URL, running the stages in this process');
    expect(run.stdout).toContain('Files loaded: 1 (4 values)');
    const [par] = await withDb((d) => factValues(d, { unit: '164', indicator: 'PAR_INDEX_SCORE', period: '2022' }));
    expect(par).toMatchObject({ value: '86.42', is_derived: false });
  });

  it('running again with the same file adds no observation', async () => {
    const before = await observationCount();
    await cp(path.join(SAMPLES, '164-NV'), path.join(root.dir, 'inbox', '164-NV'), { recursive: true });
    const run = await runCli(['run', '--root', root.dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('duplicates: 1');
    expect(await observationCount()).toBe(before);
  });

  it('exits 1 when a file is rejected, and 2 for a drop root that does not exist', async () => {
    await dropSamples(root.dir, ['05443']);
    const rejected = await runCli(['run', '--root', root.dir]);
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toContain('rejected 05443/loi-dinh-dang.csv: 7 problem(s)');
    const missing = await runCli(['run', '--root', path.join(root.dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ROOT_MISSING');
  });

  it.each([
    ['run'],
    ['status'],
    ['report', '--unit', '164', '--period', '2022'],
    ['withdraw', '1', '--reason', 'sent by mistake'],
    ['validate', path.join(SAMPLES, '164-NV', 'cai-cach-hanh-chinh-2022.csv'), '--source', '164-NV'],
  ])('%s creates nothing under a drop root that does not exist (the embedded database included)', async (...args) => {
    const missingRoot = path.join(root.dir, 'not-there');
    const result = await runCli(['--root', missingRoot, ...args]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`[ROOT_MISSING]`);
    expect(await access(missingRoot).then(() => 'created', () => 'absent')).toBe('absent');
  });

  it('a folder that is no drop root (no inbox/, no .dstats/) gets no database either', async () => {
    const notARoot = path.join(root.dir, 'inbox');
    const result = await runCli(['--root', notARoot, 'report', '--unit', '164', '--period', '2022']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`[ROOT_MISSING]`);
    expect(await access(path.join(notARoot, '.dstats')).then(() => 'created', () => 'absent')).toBe('absent');
  });

  it('migrate makes a new drop root for its embedded database', async () => {
    const newRoot = path.join(root.dir, 'new-root');
    const result = await runCli(['--root', newRoot, 'migrate']);
    expect(result.code, result.stderr).toBe(0);
    await access(path.join(newRoot, '.dstats'));
  });

  it('a change of an indicator\'s rules, synced into it, is rebuilt by the next run', async () => {
    const env = { DSTATS_ROOT: root.dir };
    const catalog = await editedCatalog('embedded-rules', [
      { file: 'indicators.csv', from: 'Public administration reform index (PAR Index),points,none,', to: 'Public administration reform index (PAR Index),points,sum,' },
    ]);
    try {
      expect(await withDb((d) => factValues(d, { unit: '19', indicator: 'PAR_INDEX_SCORE', period: '2022' }))).toEqual([]);
      const sync = await runCli(['catalog', 'sync', catalog.dir], env);
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toContain('rules changed: the next run recomputes the derived figures of PAR_INDEX_SCORE in 1 year(s): 2022');
      const run = await runCli(['run', '--root', root.dir]);
      expect(run.code, run.stderr).toBe(0);
      // Now summed across units (an edit for the test): the province's only reporting child is the city.
      const [province] = await withDb((d) => factValues(d, { unit: '19', indicator: 'PAR_INDEX_SCORE', period: '2022' }));
      expect(province).toMatchObject({ value: '86.42', is_derived: true });
      expect(await withDb(async (d) => d.db.selectFrom('core.rollup_rebuild').selectAll().execute())).toEqual([]);
    } finally {
      await catalog.remove();
    }
  });

  it('refuses a second process on the same embedded database with an actionable message', async () => {
    await withDb(async () => {
      const second = await runCli(['status', '--root', root.dir]);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('EMBEDDED_DB_BUSY');
      expect(second.stderr).toMatch(/DATABASE_URL/);
    });
  });

  it('rejects usage errors with exit code 2', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
  });

  // Found by exploratory testing: each ended in a stack trace and exit 3, which means a fault.
  it('says what to fix, with exit 2, for a --root that is a file and a port that is junk or taken', async () => {
    const file = path.join(root.dir, 'a-file');
    await writeFile(file, '');
    const onFile = await runCli(['--root', file, 'migrate']);
    expect(onFile.code, onFile.stderr).toBe(2);
    expect(onFile.stderr).toContain(`[EMBEDDED_DIR_UNUSABLE] Không tạo hoặc mở được thư mục cơ sở dữ liệu nhúng ${path.join(file, '.dstats')} (ENOTDIR`);
    expect(onFile.stderr, 'no stack trace').not.toMatch(/^\s+at /m);

    for (const junk of ['80abc', '1.5', 'abc', '70000']) {
      const serve = await runCli(['--root', root.dir, 'serve', '--port', junk]);
      expect(serve.code, serve.stderr).toBe(2);
      expect(serve.stderr).toContain(`not a port: "${junk}"`);
    }
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as net.AddressInfo;
      const serve = await runCli(['--root', root.dir, 'serve', '--port', String(port)]);
      expect(serve.code, serve.stderr).toBe(2);
      expect(serve.stderr).toContain(`[PORT_IN_USE]`);
      expect(serve.stderr).toContain(`Port ${port} on 127.0.0.1 cannot be used`);
    } finally {
      taken.close();
    }
  });
});
