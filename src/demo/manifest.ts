// What the demo generator wrote, for the CLI to print and for tests to check against.
import type { BrokenKind, Intended } from './schedule.js';

/** One file of the demo drop root, before it is written. */
export interface DemoFile {
  source: string;
  name: string;
  /** the form it is in: 'long', or a form of schemas/forms */
  form: string;
  bytes: Buffer;
  /** when it was (notionally) sent: becomes the file's mtime */
  submittedAt: Date;
  /** values a successful load stores (cells with a figure) */
  values: number;
  /** period codes the file has values for */
  periods: string[];
  /** set for a file made to be rejected */
  broken?: { kind: BrokenKind; code: string; reason: string };
}

export interface DemoSlotSubmission {
  file: string;
  submittedAt: string;
  accepted: boolean;
}

/** An expected submission (schemas/expectations.csv) and what the demo made of it. */
export interface DemoSlot {
  source: string;
  form: string;
  period: string;
  deadline: string;
  intended: Intended;
  submissions: DemoSlotSubmission[];
}

export interface DemoManifest {
  files: number;
  bySource: Record<string, number>;
  broken: { source: string; file: string; reason: string; code: string }[];
  /** every period code the accepted files have values for, sorted */
  periods: string[];
  /** values the accepted files hold */
  values: number;
  /** expected submissions 2021–2023 with their intended completeness status */
  slots: DemoSlot[];
  /** figures the pipeline must reproduce: the city's budget revenue per half (tỷ đồng, decimal strings) */
  expected: { cityBudgetRevenue: Record<string, string> };
}
