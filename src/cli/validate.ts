// `dstats validate FILE --source ID`: the same checks as the pipeline, as a dry run. Nothing is
// stored: the staged rows are removed again and the file is not moved.
import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DstatsError } from '../errors.js';
import { checkFile, isRejected, problemRows, valuesOutside } from '../normalise/check-file.js';
import { problem } from '../normalise/problems.js';
import { refusedAtIntake } from '../pipeline/intake.js';
import { writeErrorsCsv } from '../report/errors-csv.js';
import type { Session } from './session.js';

/** The file to check, as the pipeline would find it in an inbox folder. */
export interface ValidateTarget {
  filePath: string;
  size: number;
}

/** FILE must be a file: a path that does not exist or a folder is a usage error, told before the database is opened. */
export async function validateTarget(file: string): Promise<ValidateTarget> {
  const filePath = path.resolve(file);
  const info = await stat(filePath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw error;
  });
  if (!info?.isFile()) throw new DstatsError('FILE_NOT_FOUND', { file: filePath });
  return { filePath, size: info.size };
}

/**
 * Where --report may go, told before anything is checked: not over the file itself (a dry run
 * changes nothing), and into a folder that exists.
 */
export async function validateReportPath(report: string, target: ValidateTarget): Promise<string> {
  const reportPath = path.resolve(report);
  const refuse = (vi: string, en: string) => new DstatsError('REPORT_PATH_INVALID', { report: reportPath, vi, en });
  const [existing, folder, checked] = await Promise.all([
    stat(reportPath).catch(() => null),
    stat(path.dirname(reportPath)).catch(() => null),
    stat(target.filePath),
  ]);
  if (existing && existing.dev === checked.dev && existing.ino === checked.ino) {
    throw refuse('đó chính là tệp đang được kiểm tra', 'that is the file being checked');
  }
  if (existing?.isDirectory()) throw refuse('đó là một thư mục', 'that is a folder');
  if (!folder?.isDirectory()) throw refuse('thư mục chứa nó không tồn tại', 'its folder does not exist');
  return reportPath;
}

export interface ValidateOutcome {
  rejected: boolean;
  text: string;
}

export async function validateFile(s: Session, target: ValidateTarget, sourceId: string, reportPath?: string): Promise<ValidateOutcome> {
  const { filePath } = target;
  const fileName = path.basename(filePath);
  const catalog = await s.ctx.catalog();
  // In the pipeline's order (intake, then normalise): what intake refuses unread (an unknown
  // source, a file type other than .csv/.txt), then the size, then the contents. Not a hard link:
  // the file checked here is not the one dropped, which is a copy of it.
  let problems = refusedAtIntake(catalog, { sourceId, fileName, linked: false });
  let summary = '';
  if (problems.count === 0 && target.size > s.config.maxFileBytes) {
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    problems.add(problem('FILE_TOO_LARGE', {}, { size_mb: mb(target.size), limit_mb: mb(s.config.maxFileBytes) }));
  }
  let rejected = problems.count > 0;
  if (!rejected) {
    const source = catalog.sources.get(sourceId)!;
    // Staged under an id no submission can have (submission ids are positive), then removed.
    const dryRunId = String(-randomInt(1, 2 ** 47));
    try {
      const check = await checkFile(s.database, catalog, { filePath, fileName, source, submissionId: dryRunId, dryRun: true });
      problems = check.problems;
      const validValues = await valuesOutside(s.database, dryRunId, problemRows(problems));
      rejected = isRejected(problems, source, validValues);
      summary = `${check.rowsRead} rows, ${check.valuesStaged} values${check.formId ? `, form ${check.formId}` : ', long format'}${check.convention ? `, numbers written the ${check.convention} way` : ''}`;
    } finally {
      await s.database.db.deleteFrom('core.staged_value').where('submission_id', '=', dryRunId).execute();
    }
  }
  if (reportPath) await writeErrorsCsv(reportPath, problems);
  const lines = [
    `${fileName} (source ${sourceId}): ${summary}`.replace(/: $/, ''),
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
