// `dstats demo` on a fresh root with the embedded default: the README's first command.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/services.js';

describe('dstats demo', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    root = await tempDir('demo-cli');
  });
  afterAll(async () => root.remove());

  it('writes a drop root, runs the pipeline on PGlite and prints the city report', async () => {
    const result = await runCli(['demo', '--root', path.join(root.dir, 'demo')], {}, 180_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('no REDIS_URL, running the stages in this process');
    expect(result.stdout).toMatch(/Files loaded: 240 \(\d+ values\) · rejected: 4/);
    expect(result.stdout).toMatch(/Thành phố Thái Nguyên \(164\) — 6 tháng cuối năm 2023/);
    expect(result.stdout).toMatch(/Thu ngân sách nhà nước trên địa bàn\s+[\d.]+,\d+\s+tỷ đồng/);

    // Files dropped before their deadline count as on time, whenever dstats took them in.
    const database = await openDatabase({ embeddedDir: path.join(root.dir, 'demo', '.dstats') });
    try {
      const statuses = await database.db.selectFrom('mart.completeness').select('status').where('period_code', 'in', ['2021S1', '2022S1', '2023S1']).execute();
      const count = (s: string) => statuses.filter((r) => r.status === s).length;
      expect(count('on_time')).toBeGreaterThan(count('late'));
      expect(count('late')).toBeGreaterThan(0);
      expect(count('missing')).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  }, 200_000);
});
