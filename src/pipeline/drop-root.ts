// Layout of a drop root:
//   inbox/<source>/<file>      where wards and departments drop files
//   work/<source>/<id>__<file> files claimed by intake, being processed
//   archive/<source>/<file>    accepted (and duplicate) files, each with <file>.receipt.json
//   rejected/<source>/<file>   rejected files, each with <file>.errors.csv
// Files are only ever renamed between these folders, never deleted.
import { randomUUID } from 'node:crypto';
import { access, mkdir, rename } from 'node:fs/promises';
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

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Moves a file into archive/ or rejected/ under its original name; when that name is taken by an
 * earlier file, the submission id is added before the extension (bao-cao.17.csv).
 */
export async function moveToArea(
  root: string,
  area: 'archive' | 'rejected',
  submission: { source_id: string; stored_path: string; submission_id: string; file_name: string },
): Promise<string> {
  const dir = areaDir(root, area, submission.source_id);
  await mkdir(dir, { recursive: true });
  const name = fittingName(submission.file_name);
  let target = path.join(dir, name);
  if (await exists(target)) {
    const ext = path.extname(name);
    target = path.join(dir, `${path.basename(name, ext)}.${submission.submission_id}${ext}`);
  }
  await rename(submission.stored_path, target);
  return target;
}

/** Whether a stored path is still in work/ (the move after a committed load or rejection is pending). */
export function inWork(root: string, storedPath: string): boolean {
  return path.relative(areaDir(root, 'work'), storedPath).split(path.sep)[0] !== '..';
}
