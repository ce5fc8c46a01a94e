// SPEC §4: a long-format table arrives in whatever encoding and CSV dialect the ward's machine
// wrote, and loads the same. Headers and cells carry Vietnamese words (unit name, indicator name,
// unit of measure, period, series, status, note), so a wrong decode cannot pass unnoticed.
import { describe, expect, it } from 'vitest';
import { encodeWindows1258 } from '../../src/normalise/decode.js';
import { brief, useSubmissions } from '../helpers/submissions.js';

/** The same small table in every encoding: rows as cells, joined per dialect. */
const HEADER = ['Mã đơn vị', 'Mã chỉ tiêu', 'Kỳ báo cáo', 'Giá trị', 'Đơn vị tính', 'Loại số liệu', 'Tình trạng', 'Ghi chú'];
const ROWS = [
  ['Phường Trưng Vương', 'Tài khoản định danh điện tử được cấp', 'Quý II/2022', '1.348', 'tài khoản', 'Thực hiện', 'ước đạt', 'Số liệu đến ngày 30/6'],
  ['Phường Trưng Vương', 'Thu ngân sách nhà nước trên địa bàn', 'Quý II/2022', '42,75', 'tỷ đồng', 'Thực hiện', 'sơ bộ', ''],
  ['Phường Trưng Vương', 'Số hộ nghèo', 'Quý II/2022', '9', 'hộ', 'KH thành phố', 'chính thức', 'Kế hoạch giao đầu năm'],
];
// 1.348 is ambiguous on its own; 42,75 (only readable the vi way) settles the file as vi: 1348.
const EXPECTED = [
  '05443 BUDGET_REVENUE 2022Q2 actual preliminary = 42.75 bn_vnd',
  '05443 EID_ACCOUNTS 2022Q2 actual estimate = 1348 count',
  '05443 POOR_HOUSEHOLDS 2022Q2 plan_city official = 9 households',
];
const NOTES = ['Số liệu đến ngày 30/6', null, 'Kế hoạch giao đầu năm'];

function table(delimiter: string, eol = '\n'): string {
  return [HEADER, ...ROWS].map((r) => r.join(delimiter)).join(eol) + eol;
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
  return be;
}

// One database and drop root for the whole file (each file has its own).
const h = useSubmissions('sub-enc');

describe('encodings end to end', () => {
  let n = 0;
  const variants: [string, () => Buffer][] = [
    ['UTF-8 with BOM, ";"', () => Buffer.from('\uFEFF' + table(';'), 'utf8')],
    ['UTF-8 without BOM, ";"', () => Buffer.from(table(';'), 'utf8')],
    ['UTF-8 in NFD (macOS), ";"', () => Buffer.from(table(';').normalize('NFD'), 'utf8')],
    ['UTF-16LE with BOM, tab, CRLF (Excel "Unicode text")', () => Buffer.from('\uFEFF' + table('\t', '\r\n'), 'utf16le')],
    ['UTF-16BE with BOM, tab', () => utf16be('\uFEFF' + table('\t'))],
    ['UTF-16LE without BOM, tab (not in the contract, but seen)', () => Buffer.from(table('\t', '\r\n'), 'utf16le')],
    ['Windows-1258 with decomposed tone marks, ";", CRLF', () => encodeWindows1258(table(';', '\r\n'))],
  ];

  it.each(variants)('%s loads the exact values, names resolved and notes kept in NFC', async (_label, bytes) => {
    const content = bytes();
    const out = await h.submit('05443', `bang-${++n}.csv`, content);
    expect(brief(out.errors)).toBeNull();
    expect(out.state).toBe('loaded');
    expect(out.receipt).toMatchObject({ rows: 3, values_loaded: 3, number_convention: 'vi', warnings: [] });
    expect(await h.cellsOf(out.submissionId)).toEqual(EXPECTED);
    const notes = (await h.observationsOf(out.submissionId)).map((o) => o.note);
    expect(notes).toEqual(NOTES);
    expect(notes.every((n) => n === null || n === n.normalize('NFC'))).toBe(true);
  });

  it('the Windows-1258 fixture really is Windows-1258 with separate tone marks (not UTF-8)', () => {
    const bytes = encodeWindows1258('Quý');
    // Q u y + U+0301 (combining acute) written as cp1258 0xEC.
    expect([...bytes]).toEqual([0x51, 0x75, 0x79, 0xec]);
  });
});

describe('CSV dialects', () => {
  it('comma file: a quoted "1.348,9" keeps its embedded comma, quoted notes keep theirs', async () => {
    const csv = [
      'Mã chỉ tiêu,Kỳ báo cáo,Giá trị,Đơn vị tính,Ghi chú',
      'BUDGET_REVENUE,6 tháng đầu năm 2022,"1.348,9",tỷ đồng,"ước, chưa quyết toán"',
      'QR_POINTS,6 tháng đầu năm 2022,"1.024",điểm,"có ""mã QR"" tại chợ"',
      '',
    ].join('\n');
    const out = await h.submit('05440', 'dau-phay.csv', csv);
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05440 BUDGET_REVENUE 2022S1 actual official = 1348.9 bn_vnd',
      '05440 QR_POINTS 2022S1 actual official = 1024 count',
    ]);
    expect((await h.observationsOf(out.submissionId)).map((o) => o.note)).toEqual(['ước, chưa quyết toán', 'có "mã QR" tại chợ']);
  });

  it('tab file (UTF-8) loads', async () => {
    const tsv = 'Mã chỉ tiêu\tKỳ báo cáo\tGiá trị\tĐơn vị tính\nQR_SCANS\tT6/2022\t71.360\tlượt\nCCTV_CAMERAS\tT6/2022\t11\tcamera\nBUDGET_REVENUE\tT6/2022\t4,5\ttỷ đồng\n';
    const out = await h.submit('05446', 'tab.txt', tsv);
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05446 BUDGET_REVENUE 202206 actual official = 4.5 bn_vnd',
      '05446 CCTV_CAMERAS 202206 actual official = 11 count',
      '05446 QR_SCANS 202206 actual official = 71360 count',
    ]);
  });

  it('semicolon file from Excel: CRLF, empty header cells, trailing ";;" on every row, blank trailing lines', async () => {
    const csv = [
      'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính;;',
      'QR_POINTS;T6/2022;1.024;điểm;;',
      'BUDGET_REVENUE;T6/2022;3,5;tỷ đồng;;',
      ';;;;;',
      ';;;;;',
      '',
      '',
      '',
    ].join('\r\n');
    const out = await h.submit('05449', 'excel.csv', csv);
    expect(brief(out.errors)).toBeNull();
    expect(out.receipt).toMatchObject({ rows: 2, values_loaded: 2 });
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05449 BUDGET_REVENUE 202206 actual official = 3.5 bn_vnd',
      '05449 QR_POINTS 202206 actual official = 1024 count',
    ]);
  });

  // Excel writes a cell with Alt+Enter as "…\n…" inside quotes, even in a CRLF file.
  const multiLine = (cellBreak: string) =>
    [
      'Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Ghi chú', // 1
      'QR_POINTS;T6/2022;12;', // 2
      '', // 3 (blank)
      'QR_SCANS;T6/2022;abc;', // 4
      `CCTV_CAMERAS;T6/2022;5;"ghi chú${cellBreak}hai dòng"`, // 5-6
      'EID_ACCOUNTS;T6/2022;12;', // 7
      'QR_POINTS;T6/2022;13;', // 8: same cell as line 2
      '',
    ].join('\r\n');

  it('line numbers in errors.csv are physical lines, counting CRLF, blank lines and multi-line cells', async () => {
    const out = await h.submit('05452', 'so-dong.csv', multiLine('\n'));
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([
      ['4', 'Giá trị', 'abc', 'NOT_A_NUMBER'],
      ['8', 'Giá trị', '13', 'DUPLICATE_VALUE'],
    ]);
    expect(out.errors![1]!.message_en).toContain('line 2');
  });

  it('line numbers stay right after a quoted cell that holds a CRLF line break', async () => {
    const out = await h.submit('05455', 'so-dong-crlf.csv', multiLine('\r\n'));
    expect(brief(out.errors)).toEqual([
      ['4', 'Giá trị', 'abc', 'NOT_A_NUMBER'],
      ['8', 'Giá trị', '13', 'DUPLICATE_VALUE'],
    ]);
  });
});
