// Wide tables exported from Excel, recognised through schemas/forms/, with their total row checked.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/pipeline/run-in-process.js';
import { dropFile, dropSamples } from '../helpers/drop-root.js';
import { factValues, useStageContext } from '../helpers/pipeline.js';

describe('wide tables (forms)', () => {
  const fixture = useStageContext('wide');

  const submission = (fileName: string) =>
    fixture.database.db.selectFrom('core.submission').select(['state', 'form_id', 'rows_read', 'values_loaded']).where('file_name', '=', fileName).executeTakeFirstOrThrow();
  const report = async (source: string, fileName: string): Promise<string[][]> =>
    parse((await readFile(path.join(fixture.root, 'rejected', source, `${fileName}.errors.csv`), 'utf8')).slice(1)).slice(1);

  it('loads the UTF-16 digital-transformation table of 32 wards; the city total equals its total row', async () => {
    await dropSamples(fixture.root, ['164-VHTT']);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('chuyen-doi-so-202206.txt')).toEqual({ state: 'loaded', form_id: 'ward-digital-transformation', rows_read: 33, values_loaded: 128 });
    const city = await factValues(fixture.database, { unit: '164', period: '202206' });
    expect(city.map((v) => [v.indicator_code, v.value, v.reporting_units])).toEqual([
      ['CCTV_CAMERAS', '320', 32],
      ['CITIZEN_APP_ACCOUNTS', '16320', 32],
      ['QR_POINTS', '29892', 32],
      ['QR_SCANS', '1779730', 32],
    ]);
    // "Xã Phúc Hà" and "Quán Triều" (no prefix) both resolved; "Tổng cộng" is not a unit.
    expect((await factValues(fixture.database, { unit: '05485', indicator: 'QR_POINTS', period: '202206' }))[0]!.value).toBe('433');
    expect((await factValues(fixture.database, { unit: '05431', indicator: 'QR_SCANS', period: '202206' }))[0]!.value).toBe('71993');
  });

  it('reads a budget table with a title row, STT, two series and units in the headers', async () => {
    const table = [
      'BÁO CÁO THU NGÂN SÁCH 6 THÁNG ĐẦU NĂM 2023;;;;',
      'STT;Phường/Xã;Thực hiện (tỷ đồng);KH tỉnh giao (triệu đồng);',
      '1;Phường Quán Triều;30,5;53.048;',
      '2;P. Quang Vinh;52,25;103.303;',
      ';Tổng cộng;82,75;156.351;',
      ';;;;',
    ].join('\r\n');
    await dropFile(fixture.root, '164-TCKH', 'thu-ngan-sach-2023S1.csv', table);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('thu-ngan-sach-2023S1.csv')).toMatchObject({ state: 'loaded', form_id: 'ward-budget', values_loaded: 4 });
    const [actual] = await factValues(fixture.database, { unit: '164', indicator: 'BUDGET_REVENUE', period: '2023S1' });
    expect(actual).toMatchObject({ value: '82.75', series: 'actual', reporting_units: 2 });
    const [plan] = await factValues(fixture.database, { unit: '05434', indicator: 'BUDGET_REVENUE', period: '2023S1' }).then((rows) => rows.filter((r) => r.series === 'plan_province'));
    expect(plan!.value).toBe('103.303'); // triệu đồng → tỷ đồng
  });

  // Found by exploratory testing: "(nghìn đồng)" was dropped and the column read in the form's
  // tỷ đồng, a million times too large, total row included.
  it('reads a unit the file writes in a column header instead of the form\'s ("Thực hiện (nghìn đồng)")', async () => {
    const table = [
      'STT;Phường/Xã;Thực hiện (nghìn đồng);KH thành phố (%)',
      '1;Phường Quán Triều;29.050.000;',
      '2;P. Quang Vinh;1.500.000;',
      ';Tổng cộng;30.550.000;',
    ].join('\r\n');
    await dropFile(fixture.root, '164-TCKH', 'thu-ngan-sach-nghin-dong-2024S1.csv', table);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    // "KH thành phố (%)": a unit no budget figure can be in, on a column without values: rejected.
    expect(await submission('thu-ngan-sach-nghin-dong-2024S1.csv')).toMatchObject({ state: 'rejected' });
    await dropFile(fixture.root, '164-TCKH', 'thu-ngan-sach-nghin-dong-2024S2.csv', table.replace(';KH thành phố (%)', '').replace(/;(\r\n|$)/g, '$1'));
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('thu-ngan-sach-nghin-dong-2024S2.csv')).toMatchObject({ state: 'loaded', values_loaded: 2 });
    const [ward] = await factValues(fixture.database, { unit: '05431', indicator: 'BUDGET_REVENUE', period: '2024S2' });
    expect(Number(ward!.value)).toBe(29.05); // 29.050.000 nghìn đồng
    const [city] = await factValues(fixture.database, { unit: '164', indicator: 'BUDGET_REVENUE', period: '2024S2' });
    expect(Number(city!.value)).toBe(30.55);
  });

  it('checks a weighted-mean total at its own precision, and rejects a total that does not add up', async () => {
    const good = [
      'STT,Phường/Xã,Tổng số hộ,Số hộ nghèo,Tỷ lệ hộ nghèo (%)',
      '1,Tân Cương,"2,000",10,0.5',
      '2,Phúc Trìu,"3,000",30,1.0',
      ',Tổng cộng,"5,000",40,0.8',
    ].join('\n');
    await dropFile(fixture.root, '164-LDTBXH', 'ho-ngheo-2023.csv', good);
    const bad = good.replace(',Tổng cộng,"5,000",40,0.8', ',Tổng cộng,"5,000",41,0.7');
    await dropFile(fixture.root, '164-LDTBXH', 'ho-ngheo-2024.csv', bad);
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('ho-ngheo-2023.csv')).toMatchObject({ state: 'loaded', form_id: 'ward-social' });
    expect(await submission('ho-ngheo-2024.csv')).toMatchObject({ state: 'rejected' });
    const rows = await report('164-LDTBXH', 'ho-ngheo-2024.csv');
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['4', 'Số hộ nghèo', '41', 'TOTAL_MISMATCH'],
      ['4', 'Tỷ lệ hộ nghèo (%)', '0.7', 'TOTAL_MISMATCH'],
    ]);
    expect(rows[0]![5]).toContain('add up to 40');
    expect(rows[1]![5]).toContain('add up to 0.8');
  });

  // Found by exploratory testing: only the last total row was checked, and a total that is no
  // number was passed over.
  it('checks every total row: a wrong one followed by a right one is rejected, subtotals pass, a total that is no number is named', async () => {
    const header = 'STT;Phường/Xã;Số điểm tạo mã QR;Số camera giám sát';
    const rows = ['1;Phường Quán Triều;10;4', '2;Phường Quang Vinh;20;5', '3;Xã Phúc Hà;7;1'];
    const table = (...totals: string[]) => [header, ...rows.slice(0, 2), ...totals.slice(0, -1), rows[2], totals.at(-1)].join('\n');
    await dropFile(fixture.root, '164-VHTT', 'cds-tong-sai-202207.csv', [header, ...rows, ';Tổng cộng;35;10', ';Tổng cộng;37;10'].join('\n'));
    await dropFile(fixture.root, '164-VHTT', 'cds-cong-202208.csv', table(';Cộng phường;30;9', ';Tổng cộng;37;10'));
    await dropFile(fixture.root, '164-VHTT', 'cds-cong-sai-202209.csv', table(';Cộng phường;31;9', ';Tổng cộng;37;10'));
    await dropFile(fixture.root, '164-VHTT', 'cds-chu-202210.csv', [header, ...rows, ';Tổng cộng;abc;10'].join('\n'));
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('cds-cong-202208.csv'), (await report('164-VHTT', 'cds-cong-202208.csv').catch(() => [])).join('\n')).toMatchObject({ state: 'loaded', values_loaded: 6 });
    expect((await report('164-VHTT', 'cds-tong-sai-202207.csv')).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['5', 'Số điểm tạo mã QR', '35', 'TOTAL_MISMATCH']]);
    expect((await report('164-VHTT', 'cds-cong-sai-202209.csv')).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['4', 'Số điểm tạo mã QR', '31', 'TOTAL_MISMATCH']]);
    expect((await report('164-VHTT', 'cds-chu-202210.csv')).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['5', 'Số điểm tạo mã QR', 'abc', 'NOT_A_NUMBER']]);
  });

  // Found by exploratory testing: a total rate computed from the counts (72 of 3,800 households:
  // 1.89 %) was rejected because the mean of the rounded ward rates (1.55 and 2.28) is 1.8958.
  it('accepts a weighted-mean total within the rounding of its rows, and rejects one beyond it', async () => {
    const table = (rate: string) =>
      ['STT,Phường/Xã,Tổng số hộ,Số hộ nghèo,Tỷ lệ hộ nghèo (%)', '1,Tân Cương,"2,000",31,1.55', '2,Phúc Trìu,"1,800",41,2.28', `,Tổng cộng,"3,800",72,${rate}`].join('\n');
    await dropFile(fixture.root, '164-LDTBXH', 'ho-ngheo-lam-tron-2021.csv', table('1.89'));
    await dropFile(fixture.root, '164-LDTBXH', 'ho-ngheo-lam-tron-2020.csv', table('1.87'));
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('ho-ngheo-lam-tron-2021.csv')).toMatchObject({ state: 'loaded' });
    expect((await report('164-LDTBXH', 'ho-ngheo-lam-tron-2020.csv')).map((r) => [r[0], r[2], r[3]])).toEqual([['4', '1.87', 'TOTAL_MISMATCH']]);
  });

  // Found by exploratory testing: a group heading was UNKNOWN_UNIT, and a total written in the STT
  // column MISSING_UNIT.
  it('passes over group headings, and finds a total written in the STT column', async () => {
    const table = [
      'STT;Phường/Xã;Số điểm tạo mã QR;Số camera giám sát',
      'I;Các phường;;',
      '1;Phường Quán Triều;10;4',
      '2;Phường Quang Vinh;20;5',
      'II;Các xã;;',
      '3;Xã Phúc Hà;7;-',
      'Tổng cộng;;37;9',
    ].join('\n');
    await dropFile(fixture.root, '164-VHTT', 'cds-nhom-202211.csv', table);
    await dropFile(fixture.root, '164-VHTT', 'cds-nhom-sai-202212.csv', table.replace('Tổng cộng;;37;9', 'Tổng cộng;;38;9'));
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    expect(await submission('cds-nhom-202211.csv')).toMatchObject({ state: 'loaded', values_loaded: 5 });
    expect((await report('164-VHTT', 'cds-nhom-sai-202212.csv')).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([['7', 'Số điểm tạo mã QR', '38', 'TOTAL_MISMATCH']]);
  });

  it('rejects a column the form does not know instead of dropping it silently', async () => {
    await dropFile(fixture.root, '164-VHTT', 'cds-202207.csv', 'STT,Phường/Xã,Số điểm tạo mã QR,Số wifi công cộng\n1,Quán Triều,10,4\n');
    expect((await runInProcess(fixture.ctx)).failures).toEqual([]);
    const rows = await report('164-VHTT', 'cds-202207.csv');
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([['1', 'Số wifi công cộng', 'UNKNOWN_COLUMN']]);
  });
});
