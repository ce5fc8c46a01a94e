// SPEC §3/§4, units: a unit is given by code or by name (with or without "Phường"/"P.", accents,
// any case, NFC or NFD), resolved among the units the source may report for and valid in the
// row's period. A row about a unit the source may not report for is an error.
//
// Same bare names in the 2025-03-01 catalogue (schemas/units/thai-nguyen-bac-kan-2025-03-01.csv):
// no two children of city 164 share one, but across province 19 several do, e.g.
//   Tân Thịnh:   05452 Phường Tân Thịnh (164)    and 05548 Xã Tân Thịnh (167)
//   Trung Thành: 05476 Phường Trung Thành (164)  and 05899 Phường Trung Thành (172), same full name
//   Tân Long:    05482 Phường Tân Long (164)     and 05668 Xã Tân Long (169)
// 164-TCKH (descendants:164) sees only the 164 one of each pair, so for it the names resolve; a
// source whose scope covers the whole province (added to this test database only) sees both and
// gets AMBIGUOUS_UNIT listing both codes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bareUnitName, CatalogLookup } from '../../src/catalog/lookup.js';
import { brief, useSubmissions } from '../helpers/submissions.js';

const PROVINCE_SOURCE = 'TEST-19';
const HEADER = 'Mã đơn vị;Mã chỉ tiêu;Kỳ báo cáo;Giá trị;Đơn vị tính';

// One database and drop root for the whole file; the province-wide source exists only here.
const h = useSubmissions('sub-units', {
  prepare: async (database) => {
    await database.db
      .insertInto('core.source')
      .values({ source_id: PROVINCE_SOURCE, name: 'Test: whole province', kind: 'department', scope: 'descendants', scope_unit_code: '19', locale: 'vi', accept_valid_rows: false })
      .execute();
  },
});

describe('units in submissions', () => {
  let n = 0;
  /** One row for `unitText`, a value unique to this call so each loaded cell is recognisable. */
  const oneRow = (unitText: string) => {
    n++;
    return { csv: `${HEADER}\n${unitText};QR_SCANS;2022S1;${n};lượt\n`, value: String(n), name: `don-vi-${n}.csv` };
  };

  it('a ward reports for itself by code, or with no unit column at all', async () => {
    const byCode = oneRow('05440');
    const out = await h.submit('05440', byCode.name, byCode.csv);
    expect(await h.cellsOf(out.submissionId)).toEqual([`05440 QR_SCANS 2022S1 actual official = ${byCode.value} count`]);
    const implied = await h.submit('05440', 'khong-cot-don-vi.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;17\n');
    expect(await h.cellsOf(implied.submissionId)).toEqual(['05440 QR_POINTS 2022S1 actual official = 17 count']);
  });

  // Found by exploratory testing: the message said the source reports for several units.
  it('a ward reporting for itself in a period after it was merged away is told so: SOURCE_UNIT_NOT_IN_PERIOD', async () => {
    const out = await h.submit('05440', 'sau-sap-xep.csv', 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2025S2;17\n');
    expect(out.state).toBe('rejected');
    expect(out.errors!.map((e) => [e.row, e.column, e.code])).toEqual([['2', 'Kỳ báo cáo', 'SOURCE_UNIT_NOT_IN_PERIOD']]);
    expect(out.errors![0]!.message_en).toBe(
      'Unit 05440 does not exist in period 2025S2 (merged, dissolved or not yet created); figures for that period are reported by the unit that replaced it. Check the period.',
    );
  });

  it('164-NV (self:164) reports for the city with no unit column; 164-TCKH (descendants) needs one: MISSING_UNIT', async () => {
    const nv = await h.submit('164-NV', 'par-2022.csv', 'Mã chỉ tiêu;Giá trị;ĐVT\nPAR_INDEX_SCORE;86,42;điểm\n');
    expect(await h.cellsOf(nv.submissionId)).toEqual(['164 PAR_INDEX_SCORE 2022 actual official = 86.42 points']);
    const tckh = await h.submit('164-TCKH', 'thieu-don-vi-2022.csv', 'Mã chỉ tiêu;Giá trị\nQR_POINTS;12\n');
    expect(brief(tckh.errors)).toEqual([['2', '', '', 'MISSING_UNIT']]);
  });

  it.each([
    ['5440', 'code without the leading zero Excel drops'],
    ['05440', 'code'],
    ['Phường Hoàng Văn Thụ', 'full name'],
    ['P. Hoàng Văn Thụ', '"P." prefix'],
    ['P.Hoàng Văn Thụ', '"P." prefix without a space'],
    ['Hoàng Văn Thụ', 'bare name'],
    ['Hoang Van Thu', 'no accents'],
    ['phuong hoang van thu', 'no accents, lower case, with prefix'],
    ['HOÀNG VĂN THỤ', 'upper case'],
    ['Phường Hoàng Văn Thụ'.normalize('NFD'), 'NFD'],
    ['  Phường   Hoàng  Văn Thụ  ', 'extra spaces'],
  ])('164-TCKH: "%s" (%s) is 05440', async (text) => {
    const row = oneRow(text);
    const out = await h.submit('164-TCKH', row.name, row.csv);
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([`05440 QR_SCANS 2022S1 actual official = ${row.value} count`]);
  });

  it('a ward writing about another unit (by code or by name) is UNIT_NOT_ALLOWED', async () => {
    const out = await h.submit('05440', 'don-vi-khac.csv', `${HEADER}\n05443;QR_SCANS;2022S1;5;lượt\nP. Quang Trung;QR_POINTS;2022S1;6;điểm\n164;CCTV_CAMERAS;2022S1;7;camera\n`);
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([
      ['2', 'Mã đơn vị', '05443', 'UNIT_NOT_ALLOWED'],
      ['3', 'Mã đơn vị', 'P. Quang Trung', 'UNIT_NOT_ALLOWED'],
      ['4', 'Mã đơn vị', '164', 'UNIT_NOT_ALLOWED'],
    ]);
    expect(out.errors![0]!.message_en).toBe('Source 05440 may not report for unit 05443 Phường Trưng Vương. Each unit submits its own figures in its own folder.');
  });

  it('164-NV (self:164) may not report for a ward: UNIT_NOT_ALLOWED', async () => {
    const out = await h.submit('164-NV', 'phuong-2022.csv', 'Mã đơn vị;Mã chỉ tiêu;Giá trị\n05440;QR_POINTS;3\n');
    expect(brief(out.errors)).toEqual([['2', 'Mã đơn vị', '05440', 'UNIT_NOT_ALLOWED']]);
  });

  it('an unknown name or code is UNKNOWN_UNIT', async () => {
    const out = await h.submit('164-TCKH', 'khong-co.csv', `${HEADER}\nPhường Không Có;QR_SCANS;2022S1;5;lượt\n99999;QR_SCANS;2022S1;6;lượt\n`);
    expect(brief(out.errors)).toEqual([
      ['2', 'Mã đơn vị', 'Phường Không Có', 'UNKNOWN_UNIT'],
      ['3', 'Mã đơn vị', '99999', 'UNKNOWN_UNIT'],
    ]);
  });

  it('a unit only valid in another period is UNKNOWN_UNIT (05440 does not exist before 2000 in the catalogue)', async () => {
    const out = await h.submit('164-TCKH', 'cu.csv', `${HEADER}\n05440;QR_SCANS;Năm 1995;5;lượt\n`);
    expect(brief(out.errors)).toEqual([['2', 'Mã đơn vị', '05440', 'UNKNOWN_UNIT']]);
  });

  it('164-TCKH: "Tân Thịnh" and "Phường Trung Thành" resolve to the only one in its scope', async () => {
    const out = await h.submit('164-TCKH', 'trung-ten.csv', `${HEADER}\nTân Thịnh;QR_SCANS;2022S1;5;lượt\nPhường Trung Thành;QR_SCANS;2022S1;6;lượt\n`);
    expect(brief(out.errors)).toBeNull();
    expect(await h.cellsOf(out.submissionId)).toEqual([
      '05452 QR_SCANS 2022S1 actual official = 5 count',
      '05476 QR_SCANS 2022S1 actual official = 6 count',
    ]);
  });

  it('a province-wide source: the same names are AMBIGUOUS_UNIT, listing both candidates; codes still work', async () => {
    const out = await h.submit(
      PROVINCE_SOURCE,
      'trung-ten.csv',
      `${HEADER}\nTân Thịnh;QR_SCANS;2022S1;5;lượt\nPhường Trung Thành;QR_SCANS;2022S1;6;lượt\n05452;QR_POINTS;2022S1;7;điểm\n`,
    );
    expect(out.state).toBe('rejected');
    expect(brief(out.errors)).toEqual([
      ['2', 'Mã đơn vị', 'Tân Thịnh', 'AMBIGUOUS_UNIT'],
      ['3', 'Mã đơn vị', 'Phường Trung Thành', 'AMBIGUOUS_UNIT'],
    ]);
    expect(out.errors![0]!.message_en).toBe('"Tân Thịnh" matches several units: 05452 Phường Tân Thịnh, 05548 Xã Tân Thịnh. Use the unit code.');
    expect(out.errors![1]!.message_en).toContain('05476 Phường Trung Thành');
    expect(out.errors![1]!.message_en).toContain('05899 Phường Trung Thành');
  });

  it('a ward writing a name that two other units share gets an error listing both (AMBIGUOUS_UNIT)', async () => {
    // Neither candidate is the ward itself; the resolver reports the ambiguity rather than
    // UNIT_NOT_ALLOWED. Either way the row is refused.
    const out = await h.submit('05440', 'ten-trung.csv', `${HEADER}\nTân Thịnh;QR_SCANS;2022S1;5;lượt\n`);
    expect(brief(out.errors)).toEqual([['2', 'Mã đơn vị', 'Tân Thịnh', 'AMBIGUOUS_UNIT']]);
    expect(out.errors![0]!.message_en).toContain('05452 Phường Tân Thịnh, 05548 Xã Tân Thịnh');
  });
});

describe('unit-name resolution (property)', () => {
  /** The children of city 164 in 2022, from the database. */
  async function wardsOf164() {
    const city = await h.database.db
      .selectFrom('core.unit')
      .select('unit_key')
      .where('code', '=', '164')
      .where('valid_from', '<=', '2022-06-30')
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', '2022-06-30')]))
      .executeTakeFirstOrThrow();
    return h.database.db.selectFrom('core.unit').select(['code', 'name']).where('parent_key', '=', city.unit_key).orderBy('code').execute();
  }

  const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

  /** A way an officer might write a unit's name: prefix, accents, case, normalisation, spaces. */
  const writing = fc.record({
    prefix: fc.constantFrom('full', 'abbrev', 'none'),
    accents: fc.boolean(),
    nfd: fc.boolean(),
    caseBits: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    spaces: fc.array(fc.constantFrom(' ', '  ', '   ', '\u00a0'), { minLength: 8, maxLength: 8 }),
    pad: fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom('', ' ', '\t')),
  });

  type Writing = typeof writing extends fc.Arbitrary<infer T> ? T : never;

  function write(name: string, w: Writing, abbrevPrefix: (kind: string) => string): string {
    const [kind, ...rest] = name.split(' ') as [string, ...string[]];
    const full = kind === 'Phường' || kind === 'Xã' ? kind : null;
    const bareWords = full ? rest : [kind, ...rest];
    const prefix = !full || w.prefix === 'none' ? [] : w.prefix === 'full' ? [full] : [abbrevPrefix(full)];
    let text = [...prefix, ...bareWords].map((word, i) => (i === 0 ? word : w.spaces[i % w.spaces.length] + word)).join('');
    if (!w.accents) text = stripAccents(text);
    text = [...text].map((ch, i) => (w.caseBits[i % w.caseBits.length] ? ch.toUpperCase() : ch.toLowerCase())).join('');
    text = w.nfd ? text.normalize('NFD') : text.normalize('NFC');
    return w.pad[0] + text + w.pad[1];
  }

  it('any ward or commune of city 164, written with "Phường"/"P."/no prefix, any case, accents or not, NFC/NFD, extra spaces, resolves to its code', async () => {
    const wards = await wardsOf164();
    expect(wards.length).toBe(32);
    const lookup = await CatalogLookup.load(h.database.db);
    const source = lookup.sources.get('164-TCKH')!;
    fc.assert(
      fc.property(fc.constantFrom(...wards), writing, (ward, w) => {
        const text = write(ward.name, w, (full) => (full === 'Phường' ? 'P.' : 'X.'));
        const found = lookup.resolveUnit(text, '2022-06-30', source);
        expect(found.ok ? found.unit.code : `${found.code}: ${JSON.stringify(text)}`).toBe(ward.code);
      }),
      { numRuns: 400, seed: 164 },
    );
  });

  it('the abbreviation without its dot ("P Hoàng Văn Thụ", "X Phúc Hà") resolves too', async () => {
    const lookup = await CatalogLookup.load(h.database.db);
    const source = lookup.sources.get('164-TCKH')!;
    expect(bareUnitName('P Hoàng Văn Thụ')).toBe('hoang van thu');
    for (const [text, code] of [['P Hoàng Văn Thụ', '05440'], ['X Phúc Hà', '05485'], ['p  hoang van thu', '05440']] as const) {
      const found = lookup.resolveUnit(text, '2022-06-30', source);
      expect(found.ok && found.unit.code).toBe(code);
    }
  });
});
