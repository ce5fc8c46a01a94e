// Stage 1, scan: lists the files in inbox/ that are ready to take in, and what it cannot take.
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { areaDir } from './drop-root.js';

export interface InboxFile {
  sourceId: string;
  fileName: string;
  size: number;
  mtimeMs: number;
}

// Office and copy tools leave these while a file is being written; they are never submissions.
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || /\.(tmp|part|crdownload|done)$/i.test(name);
}

/**
 * What lies in inbox/ that the scan never takes: a file dropped into inbox/ itself instead of a
 * source's folder, a folder inside a source's folder, a link, a name that is not UTF-8 (as an
 * archive unzipped on Windows leaves). Nothing of it is moved, but its source would wait for ever
 * for a report: the scan logs them, and `status` and `run` name them so that someone moves them.
 */
export type StrayReason = 'not in a source folder' | 'a folder inside a source folder' | 'a link' | 'a name that is not UTF-8';

export interface InboxStray {
  /** relative to inbox/, as shown; bytes that are not UTF-8 appear as U+FFFD */
  path: string;
  reason: StrayReason;
}

export interface InboxScan {
  /** oldest first (by modification time) */
  ready: InboxFile[];
  strays: InboxStray[];
}

/**
 * Files ready for intake: regular files (never symlinks) in inbox/<source>/, not temporary, and
 * either marked by a `<name>.done` file or unchanged (size and mtime) for `settleMs`. A file
 * modified less than `settleMs` ago is looked at again once that time has passed, so a one-pass
 * run right after a copy still takes it, and a file still being written is left for the next scan.
 * The same walk finds the strays. Names are read as bytes, so that one not in UTF-8 is told apart.
 */
export async function scanInbox(root: string, options: { settleMs: number }): Promise<InboxScan> {
  const ready: InboxFile[] = [];
  const young: (InboxFile & { path: string })[] = [];
  const strays: InboxStray[] = [];
  const inbox = areaDir(root, 'inbox');
  const sources: string[] = [];
  for (const entry of await entriesOf(inbox)) {
    const name = entry.name.toString('utf8');
    if (isTemporaryName(name)) continue;
    if (!isUtf8(entry.name)) strays.push({ path: name, reason: 'a name that is not UTF-8' });
    else if (entry.isSymbolicLink()) strays.push({ path: name, reason: 'a link' });
    else if (!entry.isDirectory()) strays.push({ path: name, reason: 'not in a source folder' });
    else sources.push(name);
  }
  const now = Date.now();
  for (const sourceId of sources.sort()) {
    const dir = path.join(inbox, sourceId);
    const entries = await entriesOf(dir); // none if the folder went away meanwhile
    const names = entries.map((entry) => entry.name.toString('utf8'));
    const markers = new Set(names.filter((n) => n.endsWith('.done')).map((n) => n.slice(0, -'.done'.length)));
    for (const [i, entry] of entries.entries()) {
      const fileName = names[i]!;
      if (isTemporaryName(fileName)) continue;
      const shown = `${sourceId}/${fileName}`;
      if (!isUtf8(entry.name)) strays.push({ path: shown, reason: 'a name that is not UTF-8' });
      else if (entry.isDirectory()) strays.push({ path: `${shown}/`, reason: 'a folder inside a source folder' });
      else if (entry.isSymbolicLink()) strays.push({ path: shown, reason: 'a link' });
      else if (entry.isFile()) {
        const filePath = path.join(dir, fileName);
        const info = await lstat(filePath).catch(() => null);
        if (!info?.isFile()) continue;
        const file = { sourceId, fileName, size: info.size, mtimeMs: info.mtimeMs };
        if (markers.has(fileName) || now - info.mtimeMs >= options.settleMs) ready.push(file);
        else young.push({ ...file, path: filePath });
      }
    }
  }
  if (young.length > 0) {
    const youngest = Math.max(...young.map((f) => f.mtimeMs));
    await sleep(Math.max(0, youngest + options.settleMs - Date.now()));
    for (const file of young) {
      const info = await lstat(file.path).catch(() => null);
      if (info?.isFile() && info.size === file.size && info.mtimeMs === file.mtimeMs) {
        ready.push({ sourceId: file.sourceId, fileName: file.fileName, size: file.size, mtimeMs: file.mtimeMs });
      }
    }
  }
  // In the order the sources last wrote them: the submission ids follow, and at equal status the
  // later submission wins (a ward's "bc (2).csv", saved after "bc.csv", is its later word).
  ready.sort((a, b) => a.mtimeMs - b.mtimeMs || byText(a.sourceId, b.sourceId) || byText(a.fileName, b.fileName));
  return { ready, strays: strays.sort((a, b) => byText(a.path, b.path)) };
}

/** A folder's entries with their names as bytes, in name order; none when it cannot be read. */
async function entriesOf(dir: string): Promise<Dirent<Buffer>[]> {
  const entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' }).catch(() => [] as Dirent<Buffer>[]);
  return entries.sort((a, b) => Buffer.compare(a.name, b.name));
}

const isUtf8 = (name: Buffer) => Buffer.from(name.toString('utf8'), 'utf8').equals(name);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
