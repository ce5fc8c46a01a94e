// <name>.errors.csv: one line per problem, UTF-8 with BOM so Excel shows Vietnamese correctly.
import { stringify } from 'csv-stringify/sync';
import type { ProblemList } from '../normalise/problems.js';
import { excelSafe } from './excel-safe.js';
import { writeWhole } from './write-whole.js';

export const ERRORS_CSV_HEADER = ['row', 'column', 'value', 'code', 'message_vi', 'message_en'];

export function errorsCsv(problems: ProblemList): string {
  const rows = problems.items.map((p) => [p.row, p.column, p.value, p.code, p.messageVi, p.messageEn].map(excelSafe));
  if (problems.omitted > 0) {
    rows.push(['', '', '', 'MORE_PROBLEMS', `… và ${problems.omitted} lỗi khác`, `… and ${problems.omitted} more problems`]);
  }
  return '\uFEFF' + stringify([ERRORS_CSV_HEADER, ...rows], { record_delimiter: 'windows' });
}

export async function writeErrorsCsv(filePath: string, problems: ProblemList): Promise<void> {
  await writeWhole(filePath, errorsCsv(problems));
}
