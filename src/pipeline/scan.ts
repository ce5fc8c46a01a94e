// Stage 1, scan: lists the files in inbox/ that are ready to take in.
import { lstat, readdir } from 'node:fs/promises';
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
 * either marked by a `<name>.done` file or unchanged for `settleMs`.
 */
export async function scanInbox(root: string, options: { settleMs: number; now?: number }): Promise<InboxFile[]> {
  const now = options.now ?? Date.now();
  const inbox = areaDir(root, 'inbox');
  const ready: InboxFile[] = [];
  let sources: string[];
  try {
    sources = (await readdir(inbox, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch {
    return ready;
  }
  for (const sourceId of sources.sort()) {
    const dir = path.join(inbox, sourceId);
    const names = await readdir(dir);
    const markers = new Set(names.filter((n) => n.endsWith('.done')).map((n) => n.slice(0, -'.done'.length)));
    for (const fileName of names.sort()) {
      if (isTemporaryName(fileName)) continue;
      const info = await lstat(path.join(dir, fileName)).catch(() => null);
      if (!info?.isFile()) continue;
      const settled = markers.has(fileName) || now - info.mtimeMs >= options.settleMs;
      if (settled) ready.push({ sourceId, fileName, size: info.size, mtimeMs: info.mtimeMs });
    }
  }
  return ready;
}
