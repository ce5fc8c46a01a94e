// A lock file so only one process opens the embedded database directory at a time.
import { open, readFile, unlink } from 'node:fs/promises';
import { DstatsError } from '../errors.js';

export interface DirectoryLock {
  release(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirectoryLock(lockPath: string): Promise<DirectoryLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => unlink(lockPath).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new DstatsError('EMBEDDED_DB_BUSY', { path: lockPath, pid: owner });
      }
      // The owner died without cleaning up: take the lock over.
      await unlink(lockPath).catch(() => undefined);
    }
  }
  throw new DstatsError('EMBEDDED_DB_BUSY', { path: lockPath, pid: 0 });
}
