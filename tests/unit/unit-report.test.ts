// The city's report as text: how a line is laid out, whatever the database holds.
import { describe, expect, it } from 'vitest';
import { renderReport, type ReportLine } from '../../src/report/unit-report.js';

const line = (overrides: Partial<ReportLine>): ReportLine => ({
  indicator: 'NEW_RURAL_ADVANCED', nameVi: 'Xã đạt nông thôn mới nâng cao', nameEn: 'Communes meeting the advanced new-rural standard',
  uom: 'bool', value: '7', status: 'official', derivation: 'units', reportingUnits: 9, expectedUnits: 9,
  valueLastYear: null, yoyPct: null, planProvince: null, pctOfPlanProvince: null, planCity: null, pctOfPlanCity: null,
  ...overrides,
});

describe('renderReport', () => {
  it('shows a rolled-up yes/no as the units that meet it, and a reported one as yes/no', () => {
    const report = { unit: { code: '164', name: 'Thành phố Thái Nguyên' }, period: '2022', lines: [line({})] };
    expect(renderReport(report, { lang: 'vi', format: 'table' })).toMatch(/Xã đạt nông thôn mới nâng cao\s+7\s+đơn vị đạt\s/);
    expect(renderReport(report, { lang: 'en', format: 'csv' })).toContain(',7,units meeting it,official,');
    const ward = { ...report, lines: [line({ value: '1', derivation: 'reported', reportingUnits: null, expectedUnits: null })] };
    expect(renderReport(ward, { lang: 'en', format: 'csv' })).toContain(',1,yes/no,official,');
  });
});
