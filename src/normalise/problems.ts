// Problems found in a submission: collected while streaming, written as <name>.errors.csv.
import { describe, type ErrorCode } from '../errors.js';

export interface Problem {
  row: number | null; // line in the file (the header is line 1); null for the whole file
  column: string | null;
  value: string | null;
  code: ErrorCode;
  messageVi: string;
  messageEn: string;
}

export function problem(
  code: ErrorCode,
  where: { row?: number | null; column?: string | null; value?: string | null },
  params: Record<string, string | number | null | undefined> = {},
): Problem {
  const text = describe(code, { value: where.value ?? '', column: where.column ?? '', ...params });
  return { row: where.row ?? null, column: where.column ?? null, value: where.value ?? null, code, messageVi: text.vi, messageEn: text.en };
}

/** Keeps every problem up to a cap (memory stays bounded for a file where every row is wrong). */
export class ProblemList {
  readonly items: Problem[] = [];
  count = 0;
  constructor(private readonly cap = 50_000) {}

  private lastKey = '';

  add(p: Problem) {
    // A wide row repeats its unit for every column: say each problem of a line once.
    const key = `${p.row}\u0000${p.column}\u0000${p.code}\u0000${p.value}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.count++;
    if (this.items.length < this.cap) this.items.push(p);
  }

  get omitted(): number {
    return this.count - this.items.length;
  }

  /** The first problem as a submission keeps it (core.submission), in both languages. */
  get first(): { first_problem: string | null; first_problem_vi: string | null } {
    const first = this.items[0];
    return { first_problem: first?.messageEn ?? null, first_problem_vi: first?.messageVi ?? null };
  }
}
