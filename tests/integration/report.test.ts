// `dstats report` through the CLI, on the budget acceptance files.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/budget-revenue/', import.meta.url));

describe('dstats report', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  const env = () => ({ DATABASE_URL: tdb.url, DSTATS_ROOT: root.dir });

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('report');
    for (const dir of ['2022S1', '2021S1', 'plan']) await cp(path.join(FIXTURES, dir), path.join(root.dir, 'inbox'), { recursive: true });
    const run = await runCli(['run'], env());
    expect(run.code, run.stderr).toBe(0);
  });
  afterAll(async () => {
    await tdb.drop();
    await root.remove();
  });

  it('prints the city figures the way the city writes them, in Vietnamese', async () => {
    const result = await runCli(['report', '--unit', '164', '--period', '6 tháng đầu năm 2022'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Thành phố Thái Nguyên (164) — 6 tháng đầu năm 2022');
    expect(result.stdout).toMatch(/Thu ngân sách nhà nước trên địa bàn\s+1\.348,9\s+tỷ đồng\s+ước\s+107,22%\s+51,00%\s+32\/32/);
  });

  it('prints English, CSV and JSON', async () => {
    const csv = await runCli(['report', '--unit', '164', '--period', '2022S1', '--lang', 'en', '--format', 'csv'], env());
    expect(csv.stdout.split('\n')[1]).toBe('State budget revenue collected in the area,"1,348.9",billion VND,estimate,107.22%,51.00%,,32/32');
    // For Excel: a BOM first, and no empty line at the end.
    expect(csv.stdout.startsWith('\uFEFFIndicator,')).toBe(true);
    expect(csv.stdout.endsWith('\n\n')).toBe(false);
    const json = await runCli(['report', '--unit', '164', '--period', '2022S1', '--format', 'json'], env());
    const parsed = JSON.parse(json.stdout);
    expect(parsed.lines[0]).toMatchObject({ indicator: 'BUDGET_REVENUE', value: '1348.90', valueLastYear: '1258.07', planProvince: '2644.9' });
  });

  it('exits 2 for an unknown unit or period, saying what the code means and when', async () => {
    const unknown = await runCli(['report', '--unit', '99999', '--period', '2022S1'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[REPORT_UNIT_NOT_IN_PERIOD] Không có đơn vị 99999 trong kỳ 2022S1. Danh mục không có mã này.');
    const period = await runCli(['report', '--unit', '164', '--period', 'someday'], env());
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('[REPORT_UNKNOWN_PERIOD] Không hiểu kỳ "someday".');
    expect(period.stderr).toContain('Unknown period "someday".');
    // The city was merged away in 2025; a ward's code typed without its leading zero.
    const merged = await runCli(['report', '--unit', '164', '--period', '2025S2'], env());
    expect(merged.stderr).toContain('No unit 164 in period 2025S2. Code 164 is: Thành phố Thái Nguyên 2000-01-01 – 2025-06-30.');
    const zero = await runCli(['report', '--unit', '5440', '--period', '2022S1'], env());
    expect(zero.stderr).toContain('Did you mean 05440 (GSO codes keep their leading zeros)?');
  });
});
