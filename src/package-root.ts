// Where dstats' own files (sql/, schemas/, examples/) are: the directory holding its package.json
// and sql/, found from this module whether it runs from src/ through tsx or compiled into dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'sql'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`dstats: no package.json with sql/ above ${start}`);
  }
}

const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. packagePath('sql', 'migrations'). */
export const packagePath = (...parts: string[]) => path.join(PACKAGE_ROOT, ...parts);
