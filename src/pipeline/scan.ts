// Stage 1, scan: lists the files in inbox/ that are ready to take in.
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
 * Files ready for intake: regular files (never symlinks) in inbox/<source>/, not temporary, and
 * either marked by a `<name>.done` file or unchanged (size and mtime) for `settleMs`. A file
 * modified less than `settleMs` ago is looked at again once that time has passed, so a one-pass
 * run right after a copy still takes it, and a file still being written is left for the next scan.
 * Oldest first (by modification time).
 */
export async function scanInbox(root: string, options: { settleMs: number }): Promise<InboxFile[]> {
  const ready: InboxFile[] = [];
  const young: (InboxFile & { path: string })[] = [];
  const inbox = areaDir(root, 'inbox');
  let sources: string[];
  try {
    sources = (await readdir(inbox, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch {
    return ready;
  }
  const now = Date.now();
  for (const sourceId of sources.sort()) {
    const dir = path.join(inbox, sourceId);
    // A folder that went away, or whose name is not UTF-8 (inbox-strays.ts names it), has nothing to take.
    const names = await readdir(dir).catch(() => [] as string[]);
    const markers = new Set(names.filter((n) => n.endsWith('.done')).map((n) => n.slice(0, -'.done'.length)));
    for (const fileName of names.sort()) {
      if (isTemporaryName(fileName)) continue;
      const filePath = path.join(dir, fileName);
      const info = await lstat(filePath).catch(() => null);
      if (!info?.isFile()) continue;
      const file = { sourceId, fileName, size: info.size, mtimeMs: info.mtimeMs };
      if (markers.has(fileName) || now - info.mtimeMs >= options.settleMs) ready.push(file);
      else young.push({ ...file, path: filePath });
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
  return ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0) || (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}
