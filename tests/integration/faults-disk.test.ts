// docs/operations.md: the drop root's disk full. Moving a file between areas is a rename and still
// works; writing its report (receipt.json, errors.csv) fails with ENOSPC, so the file waits in
// work/. Here the drop root is a small tmpfs of its own, filled to the last byte before the files
// are processed and kept full beyond the jobs' retries. Once space is freed, the next `dstats run`
// finishes what is missing:
// each file ends archived with its receipt or rejected with its errors.csv, no half-written report
// anywhere, and the mart equals a clean run. A duplicate dropped while the disk is full gets its
// receipt the same way.
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingJobs } from '../../jobs/queues.js';
import { runCli } from '../helpers/cli.js';
import { useDeployment } from '../helpers/deployment.js';
import { queryAt } from '../helpers/services.js';
import {
  canMountTmpfs,
  dropFiles,
  dropRootState,
  expectEachFileOnce,
  expectSameMart,
  martSnapshot,
  smallDisk,
  submissions,
  waitFor,
  waitUntilQuiet,
  type SmallDisk,
  useFaultFiles,
  largeSubmission,
  postgresIds,
  usePrivatePostgres,
} from '../helpers/faults.js';

/** Every receipt and error report under the drop root, whole or not. */
async function reportsIn(root: string): Promise<string[]> {
  const all = await readdir(root, { recursive: true });
  return all.filter((name) => /\.(receipt\.json|errors\.csv)$/.test(name));
}

const mountable = await canMountTmpfs();
if (!mountable) console.warn('faults-disk: skipped, this process cannot mount a tmpfs (it needs root)');

describe.skipIf(!mountable)('the drop root full while files are processed', () => {
  // One file rejected at intake (no such source); FAULT_SAMPLES has one rejected at normalise.
  const { files, clean } = useFaultFiles([{ source: '99999', name: 'bao-cao.csv', content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2023S1;31\n' }]);
  let disk: SmallDisk;
  const d = useDeployment('faults-disk', { workers: 2 });
  beforeAll(async () => {
    disk = await smallDisk(d.root.dir, 2048);
  });
  afterAll(() => disk?.unmount()); // before the deployment removes the directory

  it('finishes every receipt and error report once space is freed, and the mart equals a clean run', { timeout: 120_000 }, async () => {
    await dropFiles(d.root.dir, files);
    await disk.fill();
    await d.queues.scan.add('scan', { reason: 'test' });
    // Every job done or out of retries (1 + 2 + 4 + 8 s of backoff) while the disk stays full.
    await waitFor('the jobs to give up on the full disk', async () => (await pendingJobs(d.queues)) === 0 && (await submissions(d.database)).length === files.length, 60_000, 500);
    // No report was written, not even in part, and each file waits in work/ for its report.
    const full = await dropRootState(d.root.dir);
    expect({ inbox: full.inbox, work: full.work.length, archive: full.archive, rejected: full.rejected }).toEqual({ inbox: [], work: files.length, archive: [], rejected: [] });
    expect(await reportsIn(d.root.dir)).toEqual([]);
    const status = await runCli(['status'], d.env);
    expect(status.stdout).toContain('receipts not written yet: 4');

    await disk.free();
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    await waitUntilQuiet('every report written', d.database, d.queues);
    const states = await expectEachFileOnce(d.database, d.root.dir, files);
    const reference = await clean();
    expect(states).toEqual(reference.states);
    expectSameMart(await martSnapshot(d.database), reference.mart);
    expect((await runCli(['status'], d.env)).stdout).not.toContain('receipts not written yet');
  });

  it('a duplicate dropped while the disk is full gets its receipt once space is freed', { timeout: 120_000 }, async () => {
    const original = files.find((f) => f.source === '164-NV')!;
    await dropFiles(d.root.dir, [{ ...original, name: `copy-of-${original.name}` }]);
    await disk.fill();
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitFor('the intake to give up on the full disk', async () => (await pendingJobs(d.queues)) === 0 && (await submissions(d.database)).length === files.length + 1, 60_000, 500);
    expect(await reportsIn(d.root.dir)).toHaveLength(files.length); // the earlier files' only
    await disk.free();
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    await waitUntilQuiet('its receipt written', d.database, d.queues);

    const duplicate = (await submissions(d.database)).find((s) => s.file_name === `copy-of-${original.name}`)!;
    expect(duplicate.state).toBe('duplicate');
    const receipt = JSON.parse(await readFile(`${duplicate.stored_path}.receipt.json`, 'utf8'));
    expect(receipt).toMatchObject({ submission_id: String(duplicate.submission_id), outcome: 'duplicate' });
    expect(path.dirname(duplicate.stored_path)).toBe(path.join(d.root.dir, 'archive', '164-NV'));
  });
});

// docs/operations.md: the database's disk full. The history and current values of each year are
// made in a tablespace on a small tmpfs, which a large file's load fills: the load fails whole on
// every attempt (never a partial submission) and the file ends in rejected/ with
// PROCESSING_FAILED. With room added and the file moved from rejected/ back to inbox/, as the
// recovery says, the next run loads it and the mart equals a clean run.
describe.skipIf(!mountable)('the database disk full while a large file loads', () => {
  const large = largeSubmission({ rows: 60_000, values: 60_000 });
  const { files, clean } = useFaultFiles([large]);
  const pg = usePrivatePostgres();
  let disk: SmallDisk;
  afterAll(() => disk?.unmount()); // after the deployment's clean-up, before the server is removed
  const d = useDeployment('faults-database-disk', { databaseUrl: () => pg.server.url, workers: 2 });
  beforeAll(async () => {
    const location = path.join(pg.server.dir, 'small');
    await mkdir(location);
    disk = await smallDisk(location, 2048, await postgresIds());
    // Partitions made from now on, the years' as files bring them, go there.
    await queryAt(pg.server.url, `CREATE TABLESPACE small LOCATION '${location}'`);
    await queryAt(pg.server.url, 'ALTER TABLE core.observation SET TABLESPACE small; ALTER TABLE core.current_value SET TABLESPACE small');
  });

  it('rejects the file whose load cannot be written, with nothing of it loaded', { timeout: 120_000 }, async () => {
    // The samples first: a failed load keeps the pages it added (Postgres does not shrink a table
    // on rollback), so a load after it into the same disk would fail too.
    await dropFiles(d.root.dir, files.filter((f) => f !== large));
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitUntilQuiet('the samples loaded or rejected', d.database, d.queues);
    await dropFiles(d.root.dir, [large]);
    await d.queues.scan.add('scan', { reason: 'test' });
    await waitUntilQuiet('the large file given up', d.database, d.queues, 90_000);

    const big = (await submissions(d.database)).find((s) => s.file_name === large.name)!;
    expect(big.state).toBe('rejected');
    expect(big.first_problem).toMatch(/^Processing failed after 5 attempts \(.*No space left on device/);
    const { n } = await d.database.db.selectFrom('core.observation').select((eb) => eb.fn.countAll<string>().as('n')).where('submission_id', '=', big.submission_id).executeTakeFirstOrThrow();
    expect(n).toBe('0');
  });

  it('loads it once room is added and it is moved back to inbox/, and the mart equals a clean run', { timeout: 120_000 }, async () => {
    await disk.grow(512 * 1024);
    const big = (await submissions(d.database)).find((s) => s.file_name === large.name)!;
    await rename(big.stored_path, path.join(d.root.dir, 'inbox', large.source, large.name));
    const run = await runCli(['run', '--no-workers'], d.env);
    expect(run.code, run.stderr).toBeLessThanOrEqual(1);
    await waitUntilQuiet('the file loaded', d.database, d.queues, 90_000);
    const again = (await submissions(d.database)).filter((s) => s.file_name === large.name).map((s) => s.state);
    expect(again).toEqual(['rejected', 'loaded']);
    expectSameMart(await martSnapshot(d.database), (await clean()).mart);
  });
});
