// SPEC §4/§8: a file larger than the configured limit is rejected without being read.
import { describe, expect, it } from 'vitest';
import { brief, useSubmissions } from '../helpers/submissions.js';

describe('file size limit', () => {
  const h = useSubmissions('sub-size', { config: { maxFileBytes: 1000 } });
  const header = 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Ghi chú\n';

  it('a file over the limit is FILE_TOO_LARGE, nothing read or loaded', async () => {
    const row = 'QR_POINTS;6 tháng đầu năm 2022;12;số liệu đã kiểm tra\n';
    const big = header + row + '\n'.repeat(1000 - Buffer.byteLength(header + row) + 1);
    expect(Buffer.byteLength(big)).toBe(1001);
    const out = await h.submit('05440', 'lon-qua.csv', big);
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([['', '', '', 'FILE_TOO_LARGE']]);
    expect(await h.observationsOf(out.submissionId)).toEqual([]);
    const s = await h.database.db.selectFrom('core.submission').select(['rows_read', 'size_bytes']).where('submission_id', '=', out.submissionId).executeTakeFirstOrThrow();
    expect(s).toEqual({ rows_read: null, size_bytes: '1001' });
  });

  it('a file exactly at the limit loads', async () => {
    const row = 'QR_SCANS;6 tháng đầu năm 2022;34;\n';
    const fits = header + row + '\n'.repeat(1000 - Buffer.byteLength(header + row));
    expect(Buffer.byteLength(fits)).toBe(1000);
    const out = await h.submit('05443', 'vua-du.csv', fits);
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual(['05443 QR_SCANS 2022S1 actual official = 34 count']);
  });
});
