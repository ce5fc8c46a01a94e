// When each demo file was (notionally) sent, and what the completeness view should say about it.
// Expected submissions come from schemas/expectations.csv (read at run time); the demo decides
// per slot whether the report came on time, late, never, or only as a rejected file, and gives
// every file a plausible submission time (office hours, Asia/Ho_Chi_Minh) to use as its mtime.
import type { Catalog } from '../catalog/model.js';
import { periodInfo } from '../normalise/periods.js';
import { DEMO_FIRST_DAY, DEMO_LAST_DAY, DEMO_MONTHS, DEMO_YEARS, halvesOf } from './figures.js';
import { stream, type Random } from './random.js';
import type { DemoUnit } from './units.js';

export type Intended = 'on_time' | 'late' | 'missing' | 'rejected';

/** What is wrong with a deliberately broken file. */
export type BrokenKind = 'not_a_number' | 'unknown_indicator' | 'other_unit' | 'wrong_total';

export interface SlotPlan {
  source: string;
  form: string;
  period: string;
  /** last day to submit on time (YYYY-MM-DD) */
  deadline: string;
  intended: Intended;
  /** first attempt is a broken file (rejected); a later accepted one follows unless intended is 'rejected' */
  broken: BrokenKind | null;
  /** submission times of the attempts, in order (none when missing) */
  times: Date[];
}

const DAY_MS = 86_400_000;
const VN_OFFSET_HOURS = 7;

export function slotKey(source: string, period: string): string {
  return `${source}|${period}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A moment in office hours (07:30–17:00 Vietnam time) on a day. */
export function officeTime(rng: Random, day: string): Date {
  const minutes = rng.int(7 * 60 + 30, 16 * 60 + 59);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, Math.floor(minutes / 60) - VN_OFFSET_HOURS, minutes % 60, rng.int(0, 59)));
}

function periodsOf(frequency: string): string[] {
  if (frequency === 'month') return DEMO_MONTHS;
  if (frequency === 'half') return DEMO_YEARS.flatMap(halvesOf);
  if (frequency === 'year') return DEMO_YEARS.map(String);
  return DEMO_YEARS.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}Q${q}`));
}

/** Every expected (source, form, period) slot of the demo range, all on time for a start. */
export function expectedSlots(catalog: Catalog, wards: DemoUnit[], city: string): SlotPlan[] {
  const slots: SlotPlan[] = [];
  for (const e of catalog.expectations) {
    const sources = e.sourceSpec === `units-of:${city}` ? wards.map((w) => w.code) : e.sourceSpec.startsWith('units-of:') ? [] : [e.sourceSpec];
    const form = catalog.forms.find((f) => f.formId === e.formId);
    const deadlineDays = e.deadlineDays ?? form?.deadlineDays ?? 5;
    const from = periodInfo(e.fromPeriod)?.startDate ?? DEMO_FIRST_DAY;
    const to = e.toPeriod ? (periodInfo(e.toPeriod)?.endDate ?? DEMO_LAST_DAY) : DEMO_LAST_DAY;
    for (const period of periodsOf(e.frequency)) {
      const info = periodInfo(period)!;
      if (info.startDate < from || info.endDate > to) continue;
      for (const source of sources) {
        slots.push({ source, form: e.formId, period, deadline: addDays(info.endDate, deadlineDays), intended: 'on_time', broken: null, times: [] });
      }
    }
  }
  return slots;
}

function onTime(rng: Random, slot: SlotPlan): Date {
  const end = periodInfo(slot.period)!.endDate;
  const window = Math.max(1, Math.round((Date.parse(slot.deadline) - Date.parse(end)) / DAY_MS));
  return officeTime(rng, addDays(end, rng.int(Math.min(window, window > 8 ? 2 : 1), window)));
}

function late(rng: Random, slot: SlotPlan): Date {
  return officeTime(rng, addDays(slot.deadline, rng.int(2, 25)));
}

export interface PlanOptions {
  /** wards whose files carry a unit column (a row about another ward can only be written there) */
  wardsWithUnitColumn: Set<string>;
  /** wards that write Vietnamese numbers (the non-number is "khoảng 1.200") */
  wardsWritingVietnamese: Set<string>;
}

/**
 * Decides the fate of every slot: a few ward reports missing, some late, two wards whose only
 * report is rejected, one ward and one digital-transformation table rejected first and corrected
 * late; one department slot late here and there, one monthly table never sent.
 */
export function planSlots(seed: number, slots: SlotPlan[], city: string, options: PlanOptions): SlotPlan[] {
  const rng = stream(seed, 'schedule');
  const bySource = (f: (s: SlotPlan) => boolean) => rng.shuffle(slots.filter(f));
  const wardSlots = bySource((s) => /^\d+$/.test(s.source) && s.source !== city);
  const taken = new Set<SlotPlan>();
  const take = (from: SlotPlan[], ok: (s: SlotPlan) => boolean = () => true): SlotPlan | undefined => {
    const slot = from.find((s) => !taken.has(s) && ok(s));
    if (slot) taken.add(slot);
    return slot;
  };
  const mark = (slot: SlotPlan | undefined, intended: Intended, broken: BrokenKind | null = null) => {
    if (!slot) return;
    slot.intended = intended;
    slot.broken = broken;
  };

  mark(take(wardSlots, (s) => options.wardsWritingVietnamese.has(s.source)), 'rejected', 'not_a_number');
  mark(take(wardSlots, (s) => options.wardsWithUnitColumn.has(s.source)), 'rejected', 'other_unit');
  mark(take(wardSlots), 'late', 'unknown_indicator');
  for (let i = 0; i < 4; i++) mark(take(wardSlots), 'missing');
  const lateWards = Math.round(wardSlots.length * 0.09);
  for (let i = 0; i < lateWards; i++) mark(take(wardSlots), 'late');

  const monthly = bySource((s) => s.form !== 'long' && periodInfo(s.period)?.type === 'month');
  const corrected = monthly.find((s) => s.period.endsWith('11') && s.period.startsWith('2021')) ?? monthly[0];
  if (corrected) {
    taken.add(corrected);
    mark(corrected, 'late', 'wrong_total');
  }
  mark(take(monthly, (s) => s.period >= '202301'), 'missing');
  for (let i = 0; i < 4; i++) mark(take(monthly), 'late');

  // One late slot for each department that sends halves or years.
  const departments = [...new Set(slots.filter((s) => !/^\d+$/.test(s.source)).map((s) => s.source))].sort();
  for (const source of departments) {
    if (monthly.some((s) => s.source === source)) continue;
    mark(take(bySource((s) => s.source === source)), 'late');
  }

  for (const slot of slots) {
    if (slot.intended === 'missing') continue;
    const first = slot.intended === 'late' && !slot.broken ? late(rng, slot) : onTime(rng, slot);
    slot.times = [first];
    if (slot.broken && slot.intended === 'late') slot.times.push(late(rng, slot));
  }
  return slots;
}

/** Submission time of a file that answers no expectation (a plan, a yearly statistic). */
export function looseTime(seed: number, label: string, day: string, spreadDays: number): Date {
  const rng = stream(seed, `schedule/${label}`);
  return officeTime(rng, addDays(day, rng.int(0, spreadDays)));
}
