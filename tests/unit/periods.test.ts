import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  childPeriods,
  formatPeriod,
  monthsOf,
  parsePeriod,
  periodFromFileName,
  periodInfo,
  samePeriodLastYear,
} from '../../src/normalise/periods.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Every valid canonical code, generated independently of the implementation. */
const codeArb = fc.integer({ min: 1900, max: 2100 }).chain((y) =>
  fc.oneof(
    fc.constant(`${y}`),
    fc.integer({ min: 1, max: 2 }).map((h) => `${y}S${h}`),
    fc.integer({ min: 1, max: 4 }).map((q) => `${y}Q${q}`),
    fc.integer({ min: 1, max: 12 }).map((m) => `${y}${pad2(m)}`),
    fc.integer({ min: 1, max: 12 }).map((n) => `${y}YTD${pad2(n)}`),
  ),
);

describe('periodInfo', () => {
  it.each([
    ['2022', { type: 'year', year: 2022, half: null, quarter: null, month: null, months: 12, startDate: '2022-01-01', endDate: '2022-12-31' }],
    ['2022S1', { type: 'half', half: 1, months: 6, startDate: '2022-01-01', endDate: '2022-06-30' }],
    ['2022S2', { type: 'half', half: 2, months: 6, startDate: '2022-07-01', endDate: '2022-12-31' }],
    ['2022Q1', { type: 'quarter', quarter: 1, months: 3, startDate: '2022-01-01', endDate: '2022-03-31' }],
    ['2024Q1', { type: 'quarter', quarter: 1, startDate: '2024-01-01', endDate: '2024-03-31' }],
    ['2022Q4', { type: 'quarter', quarter: 4, startDate: '2022-10-01', endDate: '2022-12-31' }],
    ['202206', { type: 'month', month: 6, months: 1, startDate: '2022-06-01', endDate: '2022-06-30' }],
    ['202402', { type: 'month', month: 2, endDate: '2024-02-29' }], // leap year
    ['210002', { type: 'month', year: 2100, endDate: '2100-02-28' }], // 2100 is not a leap year
    ['202302', { type: 'month', endDate: '2023-02-28' }],
    ['2022YTD09', { type: 'ytd', half: null, quarter: null, month: null, months: 9, startDate: '2022-01-01', endDate: '2022-09-30' }],
    ['2022YTD02', { type: 'ytd', months: 2, endDate: '2022-02-28' }],
  ])('%s', (code, expected) => {
    expect(periodInfo(code)).toMatchObject({ code, ...expected });
  });

  it.each(['', '22', '1899', '2101', '2022S3', '2022Q5', '2022Q0', '202213', '202200', '2022s1', '2022q2', '2022YTD13', '2022YTD00', '2022YTD9', '2022-06', ' 2022', 'Năm 2022'])(
    'rejects %j',
    (code) => {
      expect(periodInfo(code)).toBeNull();
    },
  );

  it('start and end dates are consistent with the length in months (property)', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        const p = periodInfo(code)!;
        expect(p).not.toBeNull();
        const start = new Date(`${p.startDate}T00:00:00Z`);
        const dayAfterEnd = new Date(`${p.endDate}T00:00:00Z`);
        dayAfterEnd.setUTCDate(dayAfterEnd.getUTCDate() + 1);
        expect(start.getUTCDate()).toBe(1);
        expect(dayAfterEnd.getUTCDate()).toBe(1); // ends on a month's last day
        const months = (dayAfterEnd.getUTCFullYear() - start.getUTCFullYear()) * 12 + dayAfterEnd.getUTCMonth() - start.getUTCMonth();
        expect(months).toBe(p.months);
      }),
    );
  });
});

describe('parsePeriod', () => {
  it.each([
    // ISO codes, any case.
    ['2022', '2022'],
    ['2022S1', '2022S1'],
    ['2022s2', '2022S2'],
    ['2022q2', '2022Q2'],
    ['2022YTD09', '2022YTD09'],
    ['2022ytd9', '2022YTD09'],
    ['202206', '202206'],
    ['2022-06', '202206'],
    // Year.
    ['Năm 2022', '2022'],
    ['năm 2022', '2022'],
    ['NĂM 2022', '2022'],
    ['Cả năm 2022', '2022'],
    // Halves.
    ['6 tháng đầu năm 2022', '2022S1'],
    ['6 tháng cuối năm 2022', '2022S2'],
    ['6T/2022', '2022S1'],
    ['6T đầu năm 2022', '2022S1'],
    ['6 tháng năm 2022', '2022S1'],
    ['6 Tháng Đầu Năm 2022', '2022S1'],
    ['  6  tháng   đầu năm 2022 ', '2022S1'],
    ['6 tháng đầu năm 2022'.normalize('NFD'), '2022S1'],
    // Quarters.
    ['Quý II/2022', '2022Q2'],
    ['Quý 2/2022', '2022Q2'],
    ['Quý 2 năm 2022', '2022Q2'],
    ['Q2/2022', '2022Q2'],
    ['Q2-2022', '2022Q2'],
    ['QII/2022', '2022Q2'],
    ['Quý I/2022', '2022Q1'],
    ['Quý III/2022', '2022Q3'],
    ['Quý IV/2022', '2022Q4'],
    ['quý iv năm 2022', '2022Q4'],
    ['Quý II / 2022', '2022Q2'],
    // Months.
    ['Tháng 6/2022', '202206'],
    ['Tháng 6 năm 2022', '202206'],
    ['T6/2022', '202206'],
    ['06/2022', '202206'],
    ['6/2022', '202206'],
    ['Tháng 12/2022', '202212'],
    ['T12-2022', '202212'],
    // Year to date.
    ['9 tháng đầu năm 2022', '2022YTD09'],
    ['9 tháng năm 2022', '2022YTD09'],
    ['9T/2022', '2022YTD09'],
    ['3 tháng đầu năm 2022', '2022YTD03'],
    ['11 tháng năm 2022', '2022YTD11'],
    ['12 tháng năm 2022', '2022'],
    ['Lũy kế 6 tháng năm 2022', '2022YTD06'],
    // English labels written by formatPeriod(…, 'en').
    ['First half of 2022', '2022S1'],
    ['Second half of 2022', '2022S2'],
    ['Q2 2022', '2022Q2'],
    ['June 2022', '202206'],
    ['Year 2022', '2022'],
    ['First 9 months of 2022', '2022YTD09'],
    // Separators a file name uses, and H1/H2 for halves, read the same in a cell.
    ['6T-2022', '2022S1'],
    ['9T-2022', '2022YTD09'],
    ['2022-S1', '2022S1'],
    ['2022_S1', '2022S1'],
    ['2022H2', '2022S2'],
    ['H1/2022', '2022S1'],
    ['S2-2022', '2022S2'],
  ])('%j -> %s', (text, code) => {
    expect(parsePeriod(text)).toBe(code);
  });

  it.each([
    '', 'abc', 'Quý 5/2022', 'Quý V/2022', 'Tháng 13/2022', 'T0/2022', '13/2022', '2022S3', '2022Q5', '202213',
    '1899', '2101', 'Năm 1800', '9 tháng cuối năm 2022', '13 tháng năm 2022', '0 tháng năm 2022', '2022YTD13',
    '30/06/2022', '2022-2023', 'Quý 2', 'Tháng 6', 'H3/2022', '2022H3', '13T-2022',
  ])('%j -> null', (text) => {
    expect(parsePeriod(text)).toBeNull();
  });

  it('accepts its own canonical codes (property)', () => {
    fc.assert(fc.property(codeArb, (code) => {
      expect(parsePeriod(code)).toBe(code);
    }));
  });

  it('reads back its Vietnamese labels (property)', () => {
    fc.assert(fc.property(codeArb, (code) => {
      expect(parsePeriod(formatPeriod(code, 'vi'))).toBe(code);
    }));
  });

  it('reads back lower-case, accent-free and NFD Vietnamese labels (property)', () => {
    fc.assert(
      fc.property(codeArb, fc.constantFrom('lower', 'ascii', 'nfd'), (code, variant) => {
        const label = formatPeriod(code, 'vi');
        const text =
          variant === 'lower' ? label.toLowerCase()
          : variant === 'nfd' ? label.normalize('NFD')
          : label.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').replace(/đ/g, 'd');
        expect(parsePeriod(text)).toBe(code);
      }),
    );
  });
});

describe('formatPeriod', () => {
  it.each([
    ['2022', 'Năm 2022', 'Year 2022'],
    ['2022S1', '6 tháng đầu năm 2022', 'First half of 2022'],
    ['2022S2', '6 tháng cuối năm 2022', 'Second half of 2022'],
    ['2022Q2', 'Quý II/2022', 'Q2 2022'],
    ['2022Q4', 'Quý IV/2022', 'Q4 2022'],
    ['202206', 'Tháng 6/2022', 'June 2022'],
    ['202212', 'Tháng 12/2022', 'December 2022'],
    ['2022YTD09', '9 tháng đầu năm 2022', 'First 9 months of 2022'],
    ['2022YTD06', 'Lũy kế 6 tháng năm 2022', 'First 6 months of 2022'],
  ])('%s', (code, vi, en) => {
    expect(formatPeriod(code, 'vi')).toBe(vi);
    expect(formatPeriod(code, 'en')).toBe(en);
  });

  it('throws on a non-canonical code', () => {
    expect(() => formatPeriod('2022q2', 'vi')).toThrow();
  });
});

describe('periodFromFileName', () => {
  it.each([
    ['thu-ngan-sach-2022S1.csv', '2022S1'],
    ['chuyen-doi-so-202206.txt', '202206'],
    ['cai-cach-hanh-chinh-2022.csv', '2022'],
    ['bao-cao-6-thang-2022.csv', '2022S1'],
    ['bao-cao-6-thang-cuoi-nam-2022.csv', '2022S2'],
    ['quy-2-2022.csv', '2022Q2'],
    ['quy-II-2022.csv', '2022Q2'],
    ['thang-6-2022', '202206'],
    ['thang_6_nam_2022.csv', '202206'],
    ['9-thang-2022.csv', '2022YTD09'],
    ['ho-ngheo-2022YTD09.csv', '2022YTD09'],
    ['ho-ngheo-2022ytd09.csv', '2022YTD09'],
    ['qr-2022-06.csv', '202206'],
    ['qr_2022Q3_phuong.csv', '2022Q3'],
    ['Báo cáo 6 tháng đầu năm 2022.xlsx.csv', '2022S1'],
    ['uploads/2021/thu-ngan-sach-2022S1.csv', '2022S1'], // directories are not the file name
    ['phuong-12-2022.csv', '2022'], // ward number 12, not December
    ['2022S1-tong-hop-2022.csv', '2022S1'], // the year repeated is the same period
    ['bao.cao.quy.2.2022', '2022Q2'], // no extension: ".2022" is not one
    ['C:\\so-lieu\\thang-6-2022.CSV', '202206'],
    ['ho-ngheo-2022.csv.gz', '2022'],
    // Month written as 06/2022, with the "/" a file name cannot hold replaced.
    ['inbox/05440/bao cao 06-2022.csv', '202206'],
    ['bao_cao_06_2022.csv', '202206'],
    ['bc-6-2022.csv', '202206'],
    ['bc-T6-2022.csv', '202206'],
    ['bc-T06.2022.csv', '202206'],
    ['bc-2022.06.csv', '202206'],
    ['bc-june-2022 (2).csv', '202206'],
    // Halves: the separated code, 6T, H1/H2.
    ['bc-2022-S1.csv', '2022S1'],
    ['bc-2022_S1.csv', '2022S1'],
    ['bc-2022-s2-sua.csv', '2022S2'],
    ['bc-6T2022.csv', '2022S1'],
    ['bc-6T-2022.csv', '2022S1'],
    ['report_H1_2022.csv', '2022S1'],
    ['report-2022H2.csv', '2022S2'],
    ['bc-nua-dau-nam-2022.csv', '2022S1'],
    ['bc-9T-2022.csv', '2022YTD09'],
    ['bc-2022-Q2.csv', '2022Q2'],
    ['bc-Q2_2022.csv', '2022Q2'],
    ['bc.2022.Q2', '2022Q2'], // no extension: ".Q2" is not one
    // Names the tests, examples and demo use keep their period.
    ['bao-cao-2022S1.csv', '2022S1'],
    ['dx_202206.csv', '202206'],
    ['so-lieu-2022.csv', '2022'],
    ['thong-ke-2022.csv', '2022'],
    ['05440_2022S1.txt', '2022S1'],
    ['BC 6 thang cuoi nam 2022 sua lai.csv', '2022S2'],
    ['chuyen-doi-so-202206-dieu-chinh.txt', '202206'],
    ['thu-ngan-sach-2023S1-3.csv', '2023S1'],
    ['giao-du-toan-thu-ngan-sach-nam-2022.csv', '2022'],
    ['bieu-01-6-thang-2022.csv', '2022S1'], // form 01
    ['bieu-01-2022.csv', '2022'],
    ['phuong-12-06-2022.csv', '202206'],
  ])('%s -> %s', (name, code) => {
    expect(periodFromFileName(name)).toBe(code);
  });

  it.each([
    'thu-ngan-sach.csv',
    'so-sanh-2021-2022.csv',
    'quy-2-2022-va-quy-3-2022.csv',
    '2022S1-2021.csv',
    '2022Q2-6-thang-2022.csv',
    'ban-do-123456789.csv',
    'to-dan-pho-2100.csv', // bare years are 19xx/20xx only
    // Two periods, or a part of a year that is not readable: never the year alone.
    'bc-2022-2023.csv',
    'bc-06-2022-2022S1.csv',
    'bc-2022-S3.csv',
    'bc-H3_2022.csv',
    'bc-Q5-2022.csv',
    'bc-quy-5-2022.csv',
    'bc-T13-2022.csv',
    'bc-13-2022.csv',
    'bc-00-2022.csv',
    'bc-2022-13.csv',
    'bc-2022YTD13.csv',
    'bc-13T-2022.csv',
    'bc-2022-T6.csv',
    'bc-30-06-2022.csv', // a date
    'bc-2022-06-30.csv',
  ])('%s -> null', (name) => {
    expect(periodFromFileName(name)).toBeNull();
  });

  it('finds any canonical code embedded in a file name (property)', () => {
    fc.assert(fc.property(codeArb, (code) => {
      fc.pre(code !== '2100'); // bare years in file names are 19xx/20xx only
      expect(periodFromFileName(`thu-ngan-sach-${code}.csv`)).toBe(code);
    }));
  });

  it('reads every name spelling of a period, whatever is around it (property)', () => {
    const roman = ['I', 'II', 'III', 'IV'];
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    /** The ways a period is written in a file name, built from the code alone. */
    const spellings = (code: string): string[] => {
      const y = code.slice(0, 4);
      const rest = code.slice(4);
      if (rest === '') return [y, `nam-${y}`, `Năm ${y}`, `ca_nam_${y}`, `12-thang-${y}`];
      if (rest.startsWith('S')) {
        const h = rest.slice(1);
        const words = h === '1' ? ['6T' + y, `6T-${y}`, `6T_${y}`, `6-thang-${y}`, `6 tháng đầu năm ${y}`, `6-thang-dau-nam-${y}`] : [`6-thang-cuoi-nam-${y}`, `6 tháng cuối năm ${y}`];
        return [`${y}S${h}`, `${y}s${h}`, `${y}-S${h}`, `${y}_S${h}`, `${y}H${h}`, `H${h}_${y}`, `H${h}-${y}`, `S${h}-${y}`, ...words];
      }
      if (rest.startsWith('Q')) {
        const q = rest.slice(1);
        const r = roman[Number(q) - 1]!;
        return [`${y}Q${q}`, `${y}-Q${q}`, `${y}_q${q}`, `Q${q}-${y}`, `Q${q}_${y}`, `Q${q}.${y}`, `Q${r}-${y}`, `quy-${q}-${y}`, `Quý ${r} ${y}`, `quy_${r}_nam_${y}`];
      }
      if (rest.startsWith('YTD')) {
        const nn = rest.slice(3);
        const n = String(Number(nn));
        const words = n === '6' || n === '12' ? [] : [`${n}T-${y}`, `${n}T${y}`, `${n}-thang-${y}`, `${n} tháng đầu năm ${y}`];
        return [`${y}YTD${nn}`, `${y}ytd${n}`, `${y}-YTD${nn}`, `luy-ke-${n}-thang-${y}`, `Lũy kế ${n} tháng ${y}`, ...words];
      }
      const mm = rest;
      const m = String(Number(mm));
      return [`${y}${mm}`, `${y}-${mm}`, `${y}_${mm}`, `${y}.${mm}`, `${y}-${m}`, `${mm}-${y}`, `${mm}_${y}`, `${m}-${y}`, `T${m}-${y}`, `T${mm}.${y}`,
        `T${m}_${y}`, `thang-${m}-${y}`, `Tháng ${m} năm ${y}`, `thang-${mm}-nam-${y}`, `${months[Number(m) - 1]}-${y}`];
    };
    const prefixArb = fc.constantFrom('', 'bao-cao-', 'bc_', 'bao cao ', 'inbox/05440/', 'thu-ngan-sach-');
    const suffixArb = fc.constantFrom('', ' (2)', '-sua', '_sua lai');
    const extArb = fc.constantFrom('.csv', '.txt', '.CSV', '');
    fc.assert(
      fc.property(codeArb.chain((code) => fc.tuple(fc.constant(code), fc.constantFrom(...spellings(code)))), prefixArb, suffixArb, extArb, ([code, spelling], prefix, suffix, ext) => {
        fc.pre(code !== '2100'); // bare years in file names are 19xx/20xx only
        expect(periodFromFileName(`${prefix}${spelling}${suffix}${ext}`)).toBe(code);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads in a name what it reads in a cell: a spelling parsePeriod knows gives its code (property)', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        fc.pre(code !== '2100');
        const label = formatPeriod(code, 'vi').replace(/\//g, '-');
        expect(parsePeriod(label)).toBe(code);
        expect(periodFromFileName(`bao-cao-${label}.csv`)).toBe(code);
      }),
    );
  });
});

describe('samePeriodLastYear / childPeriods / monthsOf', () => {
  it.each([
    ['2022', '2021'],
    ['2022S1', '2021S1'],
    ['2022Q3', '2021Q3'],
    ['202206', '202106'],
    ['2022YTD09', '2021YTD09'],
  ])('samePeriodLastYear(%s) = %s', (code, expected) => {
    expect(samePeriodLastYear(code)).toBe(expected);
  });

  it('throws for invalid codes and before 1900', () => {
    expect(() => samePeriodLastYear('2022Q5')).toThrow();
    expect(() => samePeriodLastYear('1900')).toThrow();
  });

  it.each([
    ['2022', ['2022S1', '2022S2']],
    ['2022S1', ['2022Q1', '2022Q2']],
    ['2022S2', ['2022Q3', '2022Q4']],
    ['2022Q1', ['202201', '202202', '202203']],
    ['2022Q4', ['202210', '202211', '202212']],
    ['202206', []],
    ['2022YTD09', []],
  ])('childPeriods(%s)', (code, expected) => {
    expect(childPeriods(code)).toEqual(expected);
  });

  it.each([
    ['2022Q2', ['202204', '202205', '202206']],
    ['202206', ['202206']],
    ['2022YTD03', ['202201', '202202', '202203']],
    ['2022S2', ['202207', '202208', '202209', '202210', '202211', '202212']],
  ])('monthsOf(%s)', (code, expected) => {
    expect(monthsOf(code)).toEqual(expected);
  });

  it('children partition the months of their parent (property)', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        const children = childPeriods(code);
        fc.pre(children.length > 0);
        expect(children.flatMap(monthsOf)).toEqual(monthsOf(code));
      }),
    );
  });

  it('monthsOf lists exactly periodInfo.months consecutive months (property)', () => {
    fc.assert(
      fc.property(codeArb, (code) => {
        const months = monthsOf(code);
        const p = periodInfo(code)!;
        expect(months).toHaveLength(p.months);
        expect(months[0]).toBe(p.startDate.slice(0, 4) + p.startDate.slice(5, 7));
        expect(months.at(-1)).toBe(p.endDate.slice(0, 4) + p.endDate.slice(5, 7));
      }),
    );
  });
});
