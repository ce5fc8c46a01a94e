// Layout of a drop root:
//   inbox/<source>/<file>      where wards and departments drop files
//   work/<source>/<id>__<file> files claimed by intake, being processed
//   archive/<source>/<file>    accepted (and duplicate) files, each with <file>.receipt.json
//   rejected/<source>/<file>   rejected files, each with <file>.errors.csv
// Files are only ever renamed between these folders, never deleted.
import { randomUUID } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';

export type Area = 'inbox' | 'work' | 'archive' | 'rejected';

export function areaDir(root: string, area: Area, sourceId?: string): string {
  return sourceId === undefined ? path.join(root, area) : path.join(root, area, sourceId);
}

// A file name is at most 255 bytes; keep room for the claim prefix and the .errors.csv /
// .receipt.json / .<id> suffixes dstats adds.
const MAX_NAME_BYTES = 180;

/** The name shortened (from the front, keeping the extension) to fit beside dstats' additions. */
export function fittingName(fileName: string): string {
  if (Buffer.byteLength(fileName) <= MAX_NAME_BYTES) return fileName;
  const ext = path.extname(fileName).slice(0, 16);
  let stem = fileName.slice(0, fileName.length - ext.length);
  while (Buffer.byteLength(stem + ext) > MAX_NAME_BYTES) stem = stem.slice(0, -1);
  return stem + ext;
}

/** A claim name in work/ that no other worker can pick at the same time. */
export function workPath(root: string, sourceId: string, fileName: string): string {
  return path.join(areaDir(root, 'work', sourceId), `${randomUUID()}__${fittingName(fileName)}`);
}

export async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** What makes a folder a drop root: its inbox/. */
export function hasInbox(root: string): Promise<boolean> {
  return exists(areaDir(root, 'inbox'));
}

type StoredFile = { source_id: string; stored_path: string; submission_id: string; file_name: string };

const REPORT_SUFFIXES = { archive: '.receipt.json', rejected: '.errors.csv', withdrawn: '.withdrawn.json' } as const;

/**
 * The report dstats writes beside a file: in archive/ its receipt, and once it is withdrawn
 * (src/withdraw/) a note saying so; in rejected/ its problems.
 */
export function reportOf(report: keyof typeof REPORT_SUFFIXES, file: string): string {
  return `${file}${REPORT_SUFFIXES[report]}`;
}

/**
 * Where a file in work/ goes in archive/ or rejected/: its original name, or when an earlier file
 * has that name or the name is a report's, the submission id added before the extension
 * (bao-cao.17.csv). Makes the folder.
 * A report alone does not take a name: it is written before its file moves, and a retry after a
 * crash in between must choose the same name again.
 */
export async function areaPath(root: string, area: 'archive' | 'rejected', submission: StoredFile): Promise<string> {
  // Never move what is not the drop root's: a stored path from another root (a database restored
  // onto another host) or made up (the bench's warehouse) names someone else's file.
  if (!inWork(root, submission.stored_path)) throw new Error(`${submission.stored_path} is not in ${areaDir(root, 'work')}: not moved`);
  await mkdir(areaDir(root, area, submission.source_id), { recursive: true });
  const [own, withId] = areaNames(root, area, submission);
  return looksLikeReport(own) || (await exists(own)) ? withId : own;
}

/**
 * A submitted file named like a report ("bc.csv.errors.csv", an officer's copy of one dropped
 * again) never keeps its name: the report of a file "bc.csv" rejected later would overwrite it.
 */
function looksLikeReport(file: string): boolean {
  const lower = file.toLowerCase();
  return Object.values(REPORT_SUFFIXES).some((suffix) => lower.endsWith(suffix));
}

/** The two names areaPath chooses between: the file's own, and with the submission id added. */
export function areaNames(root: string, area: 'archive' | 'rejected', submission: Omit<StoredFile, 'stored_path'>): [string, string] {
  const dir = areaDir(root, area, submission.source_id);
  const name = fittingName(submission.file_name);
  const ext = path.extname(name);
  return [path.join(dir, name), path.join(dir, `${path.basename(name, ext)}.${submission.submission_id}${ext}`)];
}

export function inArea(root: string, area: Area, storedPath: string): boolean {
  return path.relative(areaDir(root, area), storedPath).split(path.sep)[0] !== '..';
}

export function inWork(root: string, storedPath: string): boolean {
  return inArea(root, 'work', storedPath);
}
