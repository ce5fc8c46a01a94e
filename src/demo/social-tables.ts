// Population and poverty by ward from 164-LDTBXH, once a year (form ward-social). The total row
// is what dstats checks: sums for counts, and for the rates the mean of the written rates weighted
// by households, at the total's two decimals.
import { at, type SocialPoint, type WardFigures } from './figures.js';
import type { DemoFile } from './manifest.js';
import { slotKey, type SlotPlan } from './schedule.js';
import { renderTable, written, type TextLayout } from './table-text.js';

export const SOCIAL_SOURCE = '164-LDTBXH';

const HEADER = ['STT', 'Phường/Xã', 'Dân số (người)', 'Tổng số hộ', 'Số hộ nghèo', 'Tỷ lệ hộ nghèo (%)', 'Số hộ cận nghèo', 'Tỷ lệ hộ cận nghèo (%)'];

const LAYOUTS: Record<number, { layout: TextLayout; title: boolean }> = {
  2021: { layout: { delimiter: ';', eol: '\r\n', encoding: 'windows1258' }, title: true },
  2022: { layout: { delimiter: ';', eol: '\r\n', encoding: 'utf8-bom' }, title: false },
  2023: { layout: { delimiter: ',', eol: '\n', encoding: 'utf8', quoteNumbers: true }, title: false },
};

/** Rate in hundredths of a percent, rounded half up. */
function rate(count: number, households: number): number {
  return Math.floor((2 * count * 10_000 + households) / (2 * households));
}

/** Σ(rate × households) / Σ households, rounded half away from zero to hundredths (as dstats checks it). */
function weightedRate(rates: number[], households: number[]): number {
  const weighted = rates.reduce((s, r, i) => s + BigInt(r) * BigInt(households[i]!), 0n);
  const weights = households.reduce((s, h) => s + BigInt(h), 0n);
  return Number(((weighted * 10n) / weights + 5n) / 10n);
}

function socialTable(wards: WardFigures[], year: number): { bytes: Buffer; values: number } {
  const { layout, title } = LAYOUTS[year] ?? LAYOUTS[2022]!;
  const rows: string[][] = [];
  if (title) rows.push([`BẢNG TỔNG HỢP DÂN SỐ, HỘ NGHÈO, HỘ CẬN NGHÈO NĂM ${year}`, ...HEADER.slice(1).map(() => '')]);
  rows.push(HEADER);
  const points: SocialPoint[] = wards.map((w) => at(w.social, String(year)));
  const poorRates = points.map((p) => rate(p.poor, p.households));
  const nearRates = points.map((p) => rate(p.nearPoor, p.households));
  wards.forEach((ward, i) => {
    const p = points[i]!;
    rows.push([
      String(i + 1),
      ward.unit.name,
      written(p.population, 0, 'vi'),
      written(p.households, 0, 'vi'),
      written(p.poor, 0, 'vi'),
      written(poorRates[i]!, 2, 'vi'),
      written(p.nearPoor, 0, 'vi'),
      written(nearRates[i]!, 2, 'vi'),
    ]);
  });
  const sum = (f: (p: SocialPoint) => number) => points.reduce((s, p) => s + f(p), 0);
  const households = points.map((p) => p.households);
  rows.push([
    '',
    'Tổng cộng',
    written(sum((p) => p.population), 0, 'vi'),
    written(sum((p) => p.households), 0, 'vi'),
    written(sum((p) => p.poor), 0, 'vi'),
    written(weightedRate(poorRates, households), 2, 'vi'),
    written(sum((p) => p.nearPoor), 0, 'vi'),
    written(weightedRate(nearRates, households), 2, 'vi'),
  ]);
  return { bytes: renderTable(rows, layout), values: wards.length * 6 };
}

export function socialTableFiles(wards: WardFigures[], slots: Map<string, SlotPlan>, years: readonly number[]): DemoFile[] {
  const files: DemoFile[] = [];
  for (const year of years) {
    const slot = slots.get(slotKey(SOCIAL_SOURCE, String(year)));
    if (!slot || slot.intended === 'missing' || slot.intended === 'rejected') continue;
    const table = socialTable(wards, year);
    files.push({ source: SOCIAL_SOURCE, form: 'ward-social', name: `dan-so-ho-ngheo-nam-${year}.csv`, bytes: table.bytes, submittedAt: slot.times[0]!, values: table.values, periods: [String(year)] });
  }
  return files;
}
