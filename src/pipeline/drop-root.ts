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

/** A claim name in work/ that no other worker can pick at the same time. */
export function workPath(root: string, sourceId: string, fileName: string): string {
  return path.join(areaDir(root, 'work', sourceId), `${randomUUID()}__${fileName}`);
}

/** The original file name of a file in work/. */
export function originalName(storedPath: string): string {
  const base = path.basename(storedPath);
  const cut = base.indexOf('__');
  return cut >= 0 ? base.slice(cut + 2) : base;
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
export async function moveToArea(root: string, area: 'archive' | 'rejected', sourceId: string, fromPath: string, submissionId: string): Promise<string> {
  const dir = areaDir(root, area, sourceId);
  await mkdir(dir, { recursive: true });
  const name = originalName(fromPath);
  let target = path.join(dir, name);
  if (await exists(target)) {
    const ext = path.extname(name);
    target = path.join(dir, `${path.basename(name, ext)}.${submissionId}${ext}`);
  }
  await rename(fromPath, target);
  return target;
}
