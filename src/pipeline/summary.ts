// What a run did, from the database (so it is the same whichever process did the work).
import type { Database } from '../db/connect.js';
import { terminalSafe } from '../report/terminal-text.js';

export interface RunSummary {
  loaded: number;
  rejected: number;
  duplicates: number;
  pending: number;
  valuesLoaded: number;
  rejections: { sourceId: string; fileName: string; problems: number; firstProblem: string | null; firstProblemVi: string | null }[];
}

export async function summariseSince(database: Database, since: Date): Promise<RunSummary> {
  const rows = await database.db
    .selectFrom('core.submission')
    .select(['source_id', 'file_name', 'state', 'values_loaded', 'problem_count', 'first_problem', 'first_problem_vi'])
    .where('received_at', '>=', since)
    .orderBy('submission_id')
    .execute();
  const summary: RunSummary = { loaded: 0, rejected: 0, duplicates: 0, pending: 0, valuesLoaded: 0, rejections: [] };
  for (const r of rows) {
    if (r.state === 'loaded') {
      summary.loaded++;
      summary.valuesLoaded += r.values_loaded ?? 0;
    } else if (r.state === 'rejected') {
      summary.rejected++;
      summary.rejections.push({ sourceId: r.source_id, fileName: r.file_name, problems: r.problem_count, firstProblem: r.first_problem, firstProblemVi: r.first_problem_vi });
    } else if (r.state === 'duplicate') summary.duplicates++;
    else summary.pending++;
  }
  return summary;
}

export function formatSummary(s: RunSummary): string {
  const lines = [
    `Files loaded: ${s.loaded} (${s.valuesLoaded} values) · rejected: ${s.rejected} · duplicates: ${s.duplicates}${s.pending ? ` · unfinished: ${s.pending}` : ''}`,
    `Tệp đã nạp: ${s.loaded} (${s.valuesLoaded} số liệu) · bị trả lại: ${s.rejected} · trùng lặp: ${s.duplicates}`,
  ];
  for (const r of s.rejections) lines.push(...rejectionLines(`rejected ${r.sourceId}/${r.fileName}`, r.problems, r.firstProblem, r.firstProblemVi));
  return lines.join('\n');
}

/** A rejected file as `run` and `status` list it: its problem count and first problem, in both languages. */
export function rejectionLines(file: string, problems: number, firstEn: string | null, firstVi: string | null): string[] {
  const lines = [`  ${file}: ${problems} problem(s); first: ${firstEn ?? '-'}`];
  if (firstVi) lines.push(`    lỗi đầu tiên: ${firstVi}`);
  return lines.map(terminalSafe);
}
