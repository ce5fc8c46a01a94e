// The demo's "true" figures, before any file is written: what every ward and the city report,
// drawn from seeded streams with realistic magnitudes (TP Thái Nguyên, 2021–2023). Files are
// renderings of these numbers, so totals, half-year values and monthly tables agree with each
// other the way a real city's reports do. Money is kept in whole hundredths (tỷ đồng × 100) or
// whole triệu đồng, never in floating point sums.
import { stream, type Random } from './random.js';
import type { DemoUnit } from './units.js';

export const DEMO_YEARS = [2021, 2022, 2023] as const;
export const DEMO_FIRST_DAY = '2021-01-01';
export const DEMO_LAST_DAY = '2023-12-31';

export const halvesOf = (year: number) => [`${year}S1`, `${year}S2`];
export const monthsOf = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}${String(i + 1).padStart(2, '0')}`);
export const DEMO_HALVES = DEMO_YEARS.flatMap(halvesOf);
export const DEMO_MONTHS = DEMO_YEARS.flatMap(monthsOf);

/** The city's budget revenue in the first halves of 2021 and 2022, as in its own reports
 * ("1.348,9 tỷ đồng, bằng 107,22% so với cùng kỳ"), in hundredths of tỷ đồng. */
const BUDGET_ANCHORS = new Map([
  ['2021S1', 125_807],
  ['2022S1', 134_890],
]);
/** The province plan for 2022: 1.348,9 is 51% of it. In triệu đồng. */
const PLAN_2022 = 2_644_900;

export interface DigitalMonth {
  qrPoints: number;
  qrScans: number;
  citizenApp: number;
  /** e-ID accounts (VNeID), reported from 2022 */
  eid: number | null;
  cctv: number;
  /** community digital-technology teams and their members, from 2022 */
  teams: number | null;
  members: number | null;
}

export interface SocialPoint {
  population: number;
  households: number;
  poor: number;
  nearPoor: number;
}

export interface WardFigures {
  unit: DemoUnit;
  /** official budget revenue per half, hundredths of tỷ đồng */
  budget: Map<string, number>;
  /** what the ward itself estimated at the end of the half (ước thực hiện) */
  budgetEstimate: Map<string, number>;
  /** province plan per year, triệu đồng */
  planProvince: Map<string, number>;
  /** city plan per year, hundredths of tỷ đồng */
  planCity: Map<string, number>;
  /** population and poverty per half (S1: mid-year households, last year's poverty review) and per year (year end) */
  social: Map<string, SocialPoint>;
  digital: Map<string, DigitalMonth>;
  /** communes only: new-rural standards met by the end of each year */
  newRural: Map<string, { advanced: boolean; model: boolean }> | null;
}

export interface CityFigures {
  /** sum of the wards' official budget revenue per half, hundredths of tỷ đồng */
  budgetTotal: Map<string, number>;
  reform: Map<string, { par: number; parRank: number; sipas: number; ddci: number; ddciRank: number; onlineProcedures: number }>;
  /** gross output per year, tenths of tỷ đồng */
  output: Map<string, { agriculture: number; localIndustry: number; industryConstruction: number; services: number; total: number }>;
}

export interface DemoFigures {
  wards: WardFigures[];
  city: CityFigures;
}

export function at<T>(map: Map<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`demo figures: nothing for ${key}`);
  return value;
}

/** Splits a whole-number total by weights into whole numbers that add up to it exactly
 * (largest remainders first, ties by position). */
export function distribute(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]! += 1;
    left--;
  }
  return out;
}

function budgetTotals(rng: Random): Map<string, number> {
  const s1_2021 = at(BUDGET_ANCHORS, '2021S1');
  const s1_2022 = at(BUDGET_ANCHORS, '2022S1');
  const year2021 = s1_2021 + Math.round(124_150 * rng.between(0.985, 1.015));
  const year2022 = Math.round(year2021 * rng.between(1.08, 1.1));
  const s1_2023 = Math.round(s1_2022 * rng.between(1.07, 1.09));
  const year2023 = Math.round(year2022 * rng.between(1.085, 1.105));
  return new Map([
    ['2021S1', s1_2021],
    ['2021S2', year2021 - s1_2021],
    ['2022S1', s1_2022],
    ['2022S2', year2022 - s1_2022],
    ['2023S1', s1_2023],
    ['2023S2', year2023 - s1_2023],
  ]);
}

function budgetFigures(seed: number, wards: DemoUnit[]) {
  const rng = stream(seed, 'figures/budget');
  const totals = budgetTotals(rng);
  // Central wards collect most; communes little. Each unit drifts a little from half to half.
  const base = wards.map((w) => (w.isCommune ? rng.between(0.25, 0.7) : rng.between(0.9, 2.4)));
  const drift = wards.map(() => rng.between(-0.03, 0.06));
  const budget = wards.map(() => new Map<string, number>());
  const estimate = wards.map(() => new Map<string, number>());
  DEMO_HALVES.forEach((half, t) => {
    const weights = base.map((b, i) => b * (1 + drift[i]!) ** t * rng.between(0.93, 1.07));
    distribute(at(totals, half), weights).forEach((value, i) => {
      budget[i]!.set(half, value);
      estimate[i]!.set(half, Math.round(value * rng.between(0.96, 1.04)));
    });
  });
  // Plans: the province plan in triệu đồng, the city's own (higher) plan in hundredths of tỷ.
  const planProvince = wards.map(() => new Map<string, number>());
  const planCity = wards.map(() => new Map<string, number>());
  for (const year of DEMO_YEARS) {
    const actual = halvesOf(year).reduce((sum, h) => sum + at(totals, h), 0); // hundredths of tỷ
    const province = year === 2022 ? PLAN_2022 : Math.round((actual * 10 * rng.between(0.94, 0.99)) / 100) * 100;
    const city = Math.round((province / 10) * rng.between(1.04, 1.08));
    const weights = wards.map((_, i) => halvesOf(year).reduce((s, h) => s + at(budget[i]!, h), 0) * rng.between(0.95, 1.05));
    distribute(province, weights).forEach((v, i) => planProvince[i]!.set(String(year), v));
    distribute(city, weights).forEach((v, i) => planCity[i]!.set(String(year), v));
  }
  return { totals, budget, estimate, planProvince, planCity };
}

/** Round half up of a / b for whole numbers. */
function roundDiv(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

function socialFigures(seed: number, ward: DemoUnit): Map<string, SocialPoint> {
  const rng = stream(seed, `figures/social/${ward.code}`);
  const households2020 = rng.int(2_000, 7_400);
  const growth = rng.between(0.008, 0.022);
  const perHousehold = rng.between(3.3, 3.8);
  const poorRate2020 = ward.isCommune ? rng.between(1.3, 2.0) : rng.between(0.35, 1.3); // %
  const poorDecline = rng.between(0.7, 0.86);
  const nearRate2020 = ward.isCommune ? rng.between(1.6, 2.6) : rng.between(0.6, 1.8);
  const nearDecline = rng.between(0.8, 0.93);
  const yearEnd = new Map<number, SocialPoint>();
  for (let year = 2020; year <= DEMO_YEARS[DEMO_YEARS.length - 1]!; year++) {
    const t = year - 2020;
    const households = Math.round(households2020 * (1 + growth) ** t);
    const minimum = Math.ceil(households / 1000); // never below 0,1%
    const poor = Math.max(minimum, Math.round((households * poorRate2020 * poorDecline ** t) / 100));
    const nearPoor = Math.max(minimum, Math.round((households * nearRate2020 * nearDecline ** t) / 100));
    yearEnd.set(year, { population: Math.round(households * perHousehold), households, poor, nearPoor });
  }
  const out = new Map<string, SocialPoint>();
  for (const year of DEMO_YEARS) {
    const end = yearEnd.get(year)!;
    const before = yearEnd.get(year - 1)!;
    const households = Math.round((before.households + end.households) / 2);
    // Poverty is reviewed once a year: mid-year reports still carry last year's review.
    out.set(`${year}S1`, { population: Math.round(households * perHousehold), households, poor: before.poor, nearPoor: before.nearPoor });
    out.set(`${year}S2`, end);
    out.set(String(year), end);
  }
  return out;
}

/** Poverty rate in hundredths of a percent, rounded half up: 9 of 4.112 households → 22 (0,22%). */
export function rateHundredths(count: number, households: number): number {
  return roundDiv(count * 10_000, households);
}

function digitalFigures(seed: number, ward: DemoUnit): Map<string, DigitalMonth> {
  const rng = stream(seed, `figures/digital/${ward.code}`);
  const size = ward.isCommune ? rng.between(0.5, 0.9) : rng.between(0.9, 1.6);
  let qrPoints = Math.round(rng.between(60, 260) * size);
  let scans = rng.between(3_000, 14_000) * size;
  const scanGrowth = rng.between(1.03, 1.045);
  let citizenApp = rng.int(20, 90);
  let eid = 0;
  let cctv = rng.int(2, 7);
  const teams = rng.int(8, 28);
  const membersPerTeam = rng.int(3, 6);
  const out = new Map<string, DigitalMonth>();
  for (const month of DEMO_MONTHS) {
    const year = Number(month.slice(0, 4));
    qrPoints += Math.round(rng.between(8, 40) * size);
    scans *= scanGrowth * rng.between(0.94, 1.06);
    citizenApp += rng.int(8, 35);
    if (year >= 2022) eid += eid === 0 ? rng.int(120, 450) : rng.int(60, 220);
    if (rng.chance(0.12)) cctv++;
    const teamsNow = year >= 2022 ? teams + (year - 2022) : null;
    out.set(month, {
      qrPoints,
      qrScans: Math.round(scans),
      citizenApp,
      eid: year >= 2022 ? eid : null,
      cctv,
      teams: teamsNow,
      members: teamsNow === null ? null : teamsNow * membersPerTeam,
    });
  }
  return out;
}

/** New-rural standards: more communes reach them every year (5 → 7 → 9 advanced, 1 → 2 → 4 model). */
function newRuralFigures(seed: number, wards: DemoUnit[]): Map<string, Map<string, { advanced: boolean; model: boolean }>> {
  const rng = stream(seed, 'figures/new-rural');
  const communes = rng.shuffle(wards.filter((w) => w.isCommune));
  const advancedCount: Record<number, number> = { 2021: 5, 2022: 7, 2023: 9 };
  const modelCount: Record<number, number> = { 2021: 1, 2022: 2, 2023: 4 };
  const out = new Map<string, Map<string, { advanced: boolean; model: boolean }>>();
  communes.forEach((commune, rank) => {
    const byYear = new Map<string, { advanced: boolean; model: boolean }>();
    for (const year of DEMO_YEARS) {
      // The first communes of the shuffled list reach the standards first, and keep them.
      byYear.set(String(year), { advanced: rank < (advancedCount[year] ?? 0), model: rank < (modelCount[year] ?? 0) });
    }
    out.set(commune.code, byYear);
  });
  return out;
}

function cityFigures(seed: number, totals: Map<string, number>): CityFigures {
  const rng = stream(seed, 'figures/city');
  const reform: CityFigures['reform'] = new Map();
  const output: CityFigures['output'] = new Map();
  let agriculture = rng.int(14_500, 16_000);
  let localIndustry = rng.int(85_000, 95_000);
  let industryConstruction = rng.int(360_000, 400_000);
  let services = rng.int(240_000, 270_000);
  let onlineProcedures = rng.int(140, 160);
  for (const year of DEMO_YEARS) {
    if (year > DEMO_YEARS[0]) {
      agriculture = Math.round(agriculture * rng.between(1.03, 1.045));
      localIndustry = Math.round(localIndustry * rng.between(1.058, 1.075));
      industryConstruction = Math.round(industryConstruction * rng.between(1.08, 1.1));
      services = Math.round(services * rng.between(1.07, 1.09));
      onlineProcedures += rng.int(5, 20);
    }
    output.set(String(year), { agriculture, localIndustry, industryConstruction, services, total: agriculture + industryConstruction + services });
    reform.set(String(year), {
      par: rng.int(8_400, 9_200),
      parRank: rng.int(1, 4),
      sipas: rng.int(8_500, 9_200),
      ddci: rng.int(7_800, 8_800),
      ddciRank: rng.int(1, 5),
      onlineProcedures,
    });
  }
  return { budgetTotal: totals, reform, output };
}

export function demoFigures(seed: number, wards: DemoUnit[]): DemoFigures {
  const budget = budgetFigures(seed, wards);
  const rural = newRuralFigures(seed, wards);
  return {
    wards: wards.map((unit, i) => ({
      unit,
      budget: budget.budget[i]!,
      budgetEstimate: budget.estimate[i]!,
      planProvince: budget.planProvince[i]!,
      planCity: budget.planCity[i]!,
      social: socialFigures(seed, unit),
      digital: digitalFigures(seed, unit),
      newRural: rural.get(unit.code) ?? null,
    })),
    city: cityFigures(seed, budget.totals),
  };
}
