// A department may report for the units its scope allows (descendants:164: the city and every
// unit below it). A sync can take a unit out of that scope after the department's values for it
// were loaded: the unit moved under another district, or the department's scope narrowed. The
// values stay as loaded, and the sync that changed it names them with the files that hold them.
import { beforeAll, describe, expect, it } from 'vitest';
import { useEditedCatalogs } from '../helpers/catalog-copy.js';
import { runCli } from '../helpers/cli.js';
import { dropFile } from '../helpers/drop-root.js';
import { factValues, LONG_HEADER, useStageContext } from '../helpers/pipeline.js';
import { runInProcess } from '../../src/pipeline/run-in-process.js';

const HOANG_VAN_THU = '05440';
const TRUNG_VUONG = '05443';
const UNITS_2025 = 'units/thai-nguyen-bac-kan-2025-03-01.csv';

describe('values a source may no longer report for after a sync', () => {
  const fixture = useStageContext('catalog-scope');
  const catalogWith = useEditedCatalogs('catalog-scope');
  const sync = (dir?: string) => runCli(['catalog', 'sync', ...(dir ? [dir] : [])], { DATABASE_URL: fixture.ctx.config.databaseUrl! });
  let department = '';

  beforeAll(async () => {
    await dropFile(fixture.root, '164-TCKH', 'thu-ngan-sach.csv',
      `${LONG_HEADER}\n${HOANG_VAN_THU};BUDGET_REVENUE;2024S1;10;tỷ đồng;;\n${TRUNG_VUONG};BUDGET_REVENUE;2024S1;20;tỷ đồng;;\n`);
    // The ward's own file: a ward reports for itself wherever its unit sits.
    await dropFile(fixture.root, HOANG_VAN_THU, 'bc.csv', 'Mã chỉ tiêu;Kỳ;Giá trị;Đơn vị tính\nQR_SCANS;2024S1;5;lượt\n');
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    department = (await fixture.database.db.selectFrom('core.submission').select('submission_id')
      .where('source_id', '=', '164-TCKH').executeTakeFirstOrThrow()).submission_id;
  });

  const wardMoved = { file: UNITS_2025, from: `${HOANG_VAN_THU},Phường Hoàng Văn Thụ,Phường,3,164`, to: `${HOANG_VAN_THU},Phường Hoàng Văn Thụ,Phường,3,165` };

  it('names the department values of a ward moved under another district, and keeps them', async () => {
    const moved = await catalogWith([wardMoved]);
    const cli = await sync(moved);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('warning: [VALUES_OUTSIDE_SCOPE]');
    expect(cli.stdout).toContain('The values below (1 source and unit pair(s)) came from sources that may no longer report for their unit');
    expect(cli.stdout).toContain(`  164-TCKH → ${HOANG_VAN_THU} (Phường Hoàng Văn Thụ): 1 value(s) in 2024S1; submission(s) ${department}\n`);
    expect(cli.stdout).not.toContain(`→ ${TRUNG_VUONG}`);
    expect(cli.stdout).not.toContain(`${HOANG_VAN_THU} → `);
    expect((await factValues(fixture.database, { unit: HOANG_VAN_THU, indicator: 'BUDGET_REVENUE', period: '2024S1' }))[0]).toMatchObject({ value: '10' });

    // Named by the sync that made them so, not by one that changes nothing.
    const again = await sync(moved);
    expect(again.stdout).not.toContain('VALUES_OUTSIDE_SCOPE');
  });

  it('names the ward values of a department whose scope narrowed to the city itself', async () => {
    // The same units as synced above: only the scope changes.
    const narrowed = await catalogWith([
      wardMoved,
      { file: 'sources.csv', from: '164-TCKH,Phòng Tài chính - Kế hoạch,department,descendants:164', to: '164-TCKH,Phòng Tài chính - Kế hoạch,department,self:164' },
    ]);
    const cli = await sync(narrowed);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('The values below (2 source and unit pair(s))');
    for (const ward of [`${HOANG_VAN_THU} (Phường Hoàng Văn Thụ)`, `${TRUNG_VUONG} (Phường Trưng Vương)`]) {
      expect(cli.stdout).toContain(`  164-TCKH → ${ward}: 1 value(s) in 2024S1; submission(s) ${department}\n`);
    }
  });
});
