// A report is written whole or not at all: into a temporary name beside it, then renamed into
// place, so a full disk never leaves a half-written receipt or errors.csv that looks finished.
// No fsync: what matters is that a reader never sees part of one, not that it survives power loss.
// (write-file-atomic does the same and more, a realpath and a stat of the target among it: 1.0 ms
// a file against 0.25 ms here, measured, which cost 5 % of the small-file throughput.)
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';

export async function writeWhole(file: string, data: string): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
