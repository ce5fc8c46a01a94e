// SPEC §5: "Several scheduler and worker replicas on several hosts share one Redis and one Postgres
// without double work." Three `dstats scheduler` processes fire every 2 s (node-cron with seconds)
// for about 6 s: each slot is claimed in core.scheduled_run by exactly one of them and the scan
// queue gets exactly one nightly job per slot. A replica cut off from Redis after its claim leaves
// its slot to another replica, whether it is killed or keeps running. Without REDIS_URL the
// scheduler runs the pass in its own process.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisConnection } from '../../jobs/connection.js';
import { closeQueues, createQueues, type Queues } from '../../jobs/queues.js';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { runCli } from '../helpers/cli.js';
import { cleanup, deletePrefixKeys, dropFiles, killStarted, startDstats, submissions, tcpRelay, waitFor, type Proc, type TcpRelay } from '../helpers/faults.js';
import { createTestDatabase, serverUrls, tempDir, testQueuePrefix, type TestDatabase } from '../helpers/services.js';

const EVERY_2S = '*/2 * * * * *';

describe('dstats scheduler', () => {
  let tdb: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  let database: Database;
  let prefix: string;
  let queues: Queues;
  let connection: ReturnType<typeof redisConnection>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    root = await tempDir('faults-scheduler');
    await mkdir(path.join(root.dir, 'inbox'));
    prefix = testQueuePrefix();
    expect((await runCli(['catalog', 'sync'], { DATABASE_URL: tdb.url })).code).toBe(0);
    database = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    connection = redisConnection({ url: serverUrls().redisUrl, cluster: false });
    queues = createQueues(connection, prefix);
  });
  afterAll(() =>
    cleanup(
      () => killStarted(),
      () => queues && closeQueues(queues),
      () => connection?.disconnect(),
      () => database?.close(),
      () => tdb?.drop(),
      () => root?.remove(),
      () => prefix && deletePrefixKeys(serverUrls().redisUrl, prefix),
    ),
  );

  const slots = async () =>
    database.db.selectFrom('core.scheduled_run').selectAll().where('schedule', '=', 'nightly').orderBy('slot').execute();

  /** Waits until the middle of a 2-second interval, so no slot fires while we stop the schedulers. */
  const betweenSlots = () => sleep(2000 + 1000 - (Date.now() % 2000));

  it('three replicas on one Redis and one Postgres: exactly one run per slot', async () => {
    const env = { DATABASE_URL: tdb.url, REDIS_URL: serverUrls().redisUrl, DSTATS_QUEUE_PREFIX: prefix, DSTATS_ROOT: root.dir, DSTATS_NIGHTLY_CRON: EVERY_2S, DSTATS_TZ: 'Asia/Ho_Chi_Minh' };
    const replicas: Proc[] = await Promise.all([0, 1, 2].map(() => startDstats(['scheduler'], env, /dstats scheduler \d+:/)));
    for (const r of replicas) expect(r.stdout()).toContain(`"${EVERY_2S}" in Asia/Ho_Chi_Minh, through the queues`);
    await sleep(6000);
    await betweenSlots();
    for (const r of replicas) expect((await r.stop('SIGTERM')).code, r.output().slice(-2000)).toBe(0);

    const runs = await slots();
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const names = new Set(replicas.map((r) => `${os.hostname()}:${r.pid}`));
    for (const run of runs) {
      expect(run.slot.getTime() % 2000, 'a slot is an instant of the schedule').toBe(0);
      expect(names.has(run.claimed_by), run.claimed_by).toBe(true);
      expect(run.finished_at, `slot ${run.slot.toISOString()} finished`).not.toBeNull();
    }
    // Each slot was claimed by one replica only: one "claimed" log line per slot, in all.
    const claimedLines = replicas.flatMap((r) => r.stderr().split('\n').filter((l) => l.includes('nightly run claimed')));
    expect(claimedLines).toHaveLength(runs.length);

    // The scan queue got one job per slot: jobs named scan, reason nightly, id nightly-<ms>.
    const jobs = await queues.scan.getJobs(['wait', 'delayed', 'prioritized', 'active', 'completed', 'failed']);
    expect(jobs.map((j) => j.id).sort()).toEqual(runs.map((r) => `nightly-${r.slot.getTime()}`).sort());
    for (const job of jobs) {
      expect(job.name).toBe('scan');
      expect(job.data).toEqual({ reason: 'nightly' });
    }
  });

  it('without REDIS_URL the scheduler runs the pass itself: a file dropped before the slot is loaded after it', async () => {
    await database.db.deleteFrom('core.scheduled_run').execute();
    const queued = await queues.scan.count(); // the first test's nightly jobs
    const file = { source: '05455', name: 'bao-cao-2022S1.csv', content: 'Mã chỉ tiêu;Kỳ báo cáo;Giá trị\nQR_POINTS;2022S1;21\nCCTV_CAMERAS;2022S1;6\n' };
    await dropFiles(root.dir, [file]);
    const env = { DATABASE_URL: tdb.url, DSTATS_ROOT: root.dir, DSTATS_NIGHTLY_CRON: EVERY_2S, DSTATS_TZ: 'Asia/Ho_Chi_Minh' };
    const scheduler = await startDstats(['scheduler'], env, /dstats scheduler \d+:/);
    expect(scheduler.stdout()).toContain('in this process');
    const run = await waitFor('a slot whose pass found the file', async () => (await slots()).find((r) => r.finished_at !== null && (r.files ?? 0) >= 1), 20_000, 200);
    await betweenSlots();
    expect((await scheduler.stop('SIGTERM')).code, scheduler.output().slice(-2000)).toBe(0);

    expect(run.claimed_by).toBe(`${os.hostname()}:${scheduler.pid}`);
    const [sub] = (await submissions(database)).filter((s) => s.file_name === file.name);
    expect(sub!.state).toBe('loaded');
    expect(sub!.values_loaded).toBe(2);
    // Nothing went through Redis.
    expect(await queues.scan.count()).toBe(queued);
  });

  describe('a replica cut off from Redis after its claim', () => {
    let relay: TcpRelay | undefined;
    afterEach(() => relay?.close());

    /**
     * One replica reaching Redis only through a relay, which is cut before its only slot fires: it
     * claims the slot and its enqueue waits. Then a second replica, whose schedule does not fire
     * in the test: it finds the slot on start, held by the first.
     */
    async function slotHeldByCutOffReplica() {
      await database.db.deleteFrom('core.scheduled_run').execute();
      relay = await tcpRelay(serverUrls().redisUrl);
      const env = { DATABASE_URL: tdb.url, DSTATS_QUEUE_PREFIX: prefix, DSTATS_ROOT: root.dir, DSTATS_TZ: 'UTC', DSTATS_SLOT_RECHECK_MS: '300' };
      const fireAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 8000);
      const once = `${fireAt.getUTCSeconds()} ${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
      const claimer = await startDstats(['scheduler'], { ...env, REDIS_URL: relay.url, DSTATS_NIGHTLY_CRON: once }, /dstats scheduler \d+:/);
      relay.cut();
      expect(Date.now(), 'the first replica started before its slot').toBeLessThan(fireAt.getTime() - 500);
      await claimer.waitForOutput('nightly run claimed', 20_000);
      expect(await slots()).toMatchObject([{ slot: fireAt, claimed_by: `${os.hostname()}:${claimer.pid}`, finished_at: null }]);
      const taker = await startDstats(['scheduler'], { ...env, REDIS_URL: serverUrls().redisUrl, DSTATS_NIGHTLY_CRON: '0 0 1 1 *' }, /dstats scheduler \d+:/);
      return { claimer, taker, jobId: `nightly-${fireAt.getTime()}` };
    }

    /** The slot finished by the second replica, with one scan job. */
    async function expectTakenOver(taker: Proc, jobId: string) {
      const run = await waitFor('the slot finished by the second replica', async () => (await slots()).find((r) => r.finished_at !== null), 30_000, 100);
      expect(run.claimed_by).toBe(`${os.hostname()}:${taker.pid}`);
      expect(taker.stderr()).toContain('nightly run taken over');
      expect((await queues.scan.getJob(jobId))?.data).toEqual({ reason: 'nightly' });
      expect((await taker.stop('SIGTERM')).code, taker.output().slice(-2000)).toBe(0);
      expect(await slots()).toHaveLength(1);
    }

    it('and killed: another replica runs that slot', async () => {
      const { claimer, taker, jobId } = await slotHeldByCutOffReplica();
      await sleep(1500);
      expect(await queues.scan.getJob(jobId), 'no pass while the claimer lives').toBeUndefined();
      expect((await slots())[0]?.finished_at).toBeNull();
      await claimer.stop('SIGKILL');
      await expectTakenOver(taker, jobId);
    });

    it('and left running: it gives the slot up when its enqueue times out, and still stops on SIGTERM', async () => {
      const { claimer, taker, jobId } = await slotHeldByCutOffReplica();
      await expectTakenOver(taker, jobId);
      expect(claimer.stderr()).toMatch(/nightly run failed; trying again in 0.3 s.*REDIS_UNREACHABLE|REDIS_UNREACHABLE.*nightly run failed/);
      expect((await claimer.stop('SIGTERM', 20_000)).code, claimer.output().slice(-2000)).toBe(0);
    });
  });
});
