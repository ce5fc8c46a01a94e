// `dstats validate FILE --source ID`: the same checks as the pipeline, as a dry run. Nothing is
// stored: the staged rows are removed again and the file is not moved.
import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { checkFile, isRejected, problemRows, valuesOutside } from '../normalise/check-file.js';
import { ProblemList, problem } from '../normalise/problems.js';
import { writeErrorsCsv } from '../report/errors-csv.js';
import type { Session } from './session.js';

export interface ValidateOutcome {
  rejected: boolean;
  text: string;
}

export async function validateFile(s: Session, filePath: string, sourceId: string, reportPath?: string): Promise<ValidateOutcome> {
  const catalog = await s.ctx.catalog();
  const source = catalog.sources.get(sourceId);
  let problems = new ProblemList();
  let summary = '';
  let validValues = 0;
  if (!source) {
    problems.add(problem('UNKNOWN_SOURCE', {}, { source: sourceId }));
  } else if ((await stat(filePath)).size > s.config.maxFileBytes) {
    problems.add(problem('FILE_TOO_LARGE', {}, { size_mb: ((await stat(filePath)).size / 2 ** 20).toFixed(1), limit_mb: (s.config.maxFileBytes / 2 ** 20).toFixed(1) }));
  } else {
    // Staged under an id no submission can have (submission ids are positive), then removed.
    const dryRunId = String(-randomInt(1, 2 ** 47));
    try {
      const check = await checkFile(s.database, catalog, { filePath, fileName: path.basename(filePath), source, submissionId: dryRunId, dryRun: true });
      problems = check.problems;
      validValues = await valuesOutside(s.database, dryRunId, problemRows(problems));
      summary = `${check.rowsRead} rows, ${check.valuesStaged} values${check.formId ? `, form ${check.formId}` : ', long format'}${check.convention ? `, numbers written the ${check.convention} way` : ''}`;
    } finally {
      await s.database.db.deleteFrom('core.staged_value').where('submission_id', '=', dryRunId).execute();
    }
  }
  const rejected = source ? isRejected(problems, source, validValues) : true;
  if (reportPath) await writeErrorsCsv(reportPath, problems);
  const lines = [
    `${path.basename(filePath)} (source ${sourceId}): ${summary}`.replace(/: $/, ''),
    rejected
      ? `REJECTED / BỊ TRẢ LẠI: ${problems.count} problem(s)`
      : problems.count > 0
        ? `ACCEPTED WITH ${problems.count} ROW PROBLEM(S) (the source accepts its valid rows)`
        : 'ACCEPTED / HỢP LỆ',
  ];
  for (const p of problems.items) {
    lines.push(`  line ${p.row ?? '-'}${p.column ? `, ${p.column}` : ''}${p.value ? ` = "${p.value}"` : ''}: [${p.code}]`, `    vi: ${p.messageVi}`, `    en: ${p.messageEn}`);
  }
  if (problems.omitted > 0) lines.push(`  … and ${problems.omitted} more`);
  return { rejected, text: lines.join('\n') };
}
