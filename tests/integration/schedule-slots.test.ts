// A scheduled slot is run by one replica, and by another one if its replica stops or fails before
// finishing it (src/schedule/slots.ts, slot-runner.ts). Two openDatabase pools play two replicas
// on one Postgres; a replica's death is what Postgres sees of it: its connection terminated. The
// same with real `dstats scheduler` processes and SIGKILL is in faults-scheduler.
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { slotRunner } from '../../src/schedule/slot-runner.js';
import { lastRun, replicaName, runSlot, type SlotClaim } from '../../src/schedule/slots.js';
import type { Trigger } from '../../src/schedule/trigger.js';
import { cleanup, waitFor } from '../helpers/faults.js';
import { createTestDatabase, tempDir, type TestDatabase } from '../helpers/services.js';

const SCHEDULE = 'nightly';

/** A pass that waits until the test lets it end, and records how it was started. */
function heldPass(files = 3) {
  const claims: SlotClaim[] = [];
  let finish!: (outcome: Error | void) => void;
  const done = new Promise<void>((resolve, reject) => (finish = (outcome) => (outcome ? reject(outcome) : resolve())));
  done.catch(() => undefined); // a pass finished with an error before it started is awaited later
  return {
    claims,
    finish,
    pass: async (claim: SlotClaim) => {
      claims.push(claim);
      await done;
      return { files };
    },
  };
}

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: { level: number; msg: string; from?: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

describe('schedule slots', () => {
  let tdb: TestDatabase;
  let replicaA: Database;
  let replicaB: Database;
  let slotMs = Date.UTC(2026, 0, 1, 18, 30);
  const nextSlot = () => new Date((slotMs += 60_000));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    replicaA = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    replicaB = await openDatabase({ databaseUrl: tdb.url, embeddedDir: '/nonexistent' });
    await migrate(replicaA);
  });
  afterAll(() => cleanup(() => replicaA?.close(), () => replicaB?.close(), () => tdb?.drop()));

  const row = async (slot: Date) =>
    replicaA.db.selectFrom('core.scheduled_run').selectAll().where('schedule', '=', SCHEDULE).where('slot', '=', slot).executeTakeFirstOrThrow();

  /** What a process's death does to its sessions: Postgres ends the backend holding the slot's lock. */
  async function terminateLockHolder() {
    // With a timeout, pg_terminate_backend waits until the backend has exited and released its
    // locks; without one it returns once the signal is sent, and the next claim could still find
    // the lock held (seen once in CI: 'busy' instead of 'ran').
    const { rows } = await sql<{ ended: boolean }>`
      SELECT pg_terminate_backend(l.pid, 10000) AS ended FROM pg_locks l JOIN pg_database d ON d.oid = l.database
      WHERE l.locktype = 'advisory' AND l.granted AND d.datname = ${tdb.name}`.execute(replicaB.db);
    expect(rows).toEqual([{ ended: true }]);
  }

  it('two replicas firing one slot: one runs the pass, the other sees it running or finished', async () => {
    const slot = nextSlot();
    const held = heldPass();
    const first = runSlot(replicaA, SCHEDULE, slot, held.pass);
    await waitFor('the first replica running the pass', () => held.claims.length === 1);
    const second = heldPass();
    expect(await runSlot(replicaB, SCHEDULE, slot, second.pass)).toBe('busy');
    held.finish();
    expect(await first).toBe('ran');
    expect(await runSlot(replicaB, SCHEDULE, slot, second.pass)).toBe('finished');
    expect(second.claims).toEqual([]);
    expect(held.claims).toEqual([{}]);
    const run = await row(slot);
    expect(run.claimed_by).toBe(replicaName());
    expect(run.finished_at).not.toBeNull();
    expect(run.files).toBe(3);
  });

  it('a replica that stops after its claim: its slot stays held while it lives, and is taken over after', async () => {
    const slot = nextSlot();
    const stopped = heldPass();
    const first = runSlot(replicaA, SCHEDULE, slot, stopped.pass);
    await waitFor('the first replica holding the claim', () => stopped.claims.length === 1);
    const before = await row(slot);
    await replicaA.db.updateTable('core.scheduled_run').set({ claimed_by: 'host-a:111' }).where('slot', '=', slot).execute();

    const taker = heldPass(5);
    expect(await runSlot(replicaB, SCHEDULE, slot, taker.pass), 'not while the claimer lives').toBe('busy');
    await terminateLockHolder();
    taker.finish();
    expect(await runSlot(replicaB, SCHEDULE, slot, taker.pass)).toBe('ran');
    expect(taker.claims).toEqual([{ takenOverFrom: 'host-a:111' }]);
    const run = await row(slot);
    expect(run.claimed_by).toBe(replicaName());
    expect(run.started_at.getTime()).toBeGreaterThan(before.started_at.getTime());
    expect(run.files).toBe(5);

    // The first replica's session is gone: its run cannot finish as if it still held the slot.
    stopped.finish(new Error('stopped'));
    await expect(first).rejects.toThrow();
  });

  it('a pass that fails leaves its slot unfinished, and the next try takes it over', async () => {
    const slot = nextSlot();
    const failing = heldPass();
    failing.finish(new Error('Redis went away'));
    await expect(runSlot(replicaA, SCHEDULE, slot, failing.pass)).rejects.toThrow('Redis went away');
    expect((await row(slot)).finished_at).toBeNull();
    const retry = heldPass(1);
    retry.finish();
    expect(await runSlot(replicaA, SCHEDULE, slot, retry.pass)).toBe('ran');
    expect(retry.claims).toEqual([{ takenOverFrom: replicaName() }]);
    expect((await row(slot)).files).toBe(1);
  });

  describe('slot runner', () => {
    const passes: string[] = [];
    let failures = 0;
    const trigger: Trigger = {
      async pass(reason, jobId) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('enqueue failed');
        }
        passes.push(`${reason} ${jobId}`);
        return { files: 2 };
      },
    };
    beforeEach(() => {
      passes.length = 0;
      failures = 0;
    });

    it('tries a failed slot again every recheck until it is finished, and logs why', async () => {
      const { log, lines } = capturedLog();
      const runner = slotRunner({ database: replicaA, schedule: SCHEDULE, trigger, recheckMs: 100, log });
      const slot = nextSlot();
      failures = 2;
      await runner.fire(slot);
      await runner.stop();
      expect(passes).toEqual([`${SCHEDULE} ${SCHEDULE}-${slot.getTime()}`]);
      expect((await row(slot)).files).toBe(2);
      const failed = lines.filter((l) => l.msg.startsWith('nightly run failed; trying again in 0.1 s'));
      expect(failed).toHaveLength(2);
      expect(lines.filter((l) => l.msg === 'nightly run claimed')).toHaveLength(1);
      expect(lines.filter((l) => l.msg.startsWith('nightly run taken over'))).toHaveLength(2);
    });

    it('waits while another replica runs the slot, and takes it over when that replica dies', async () => {
      const { log, lines } = capturedLog();
      const slot = nextSlot();
      const stopped = heldPass();
      const first = runSlot(replicaA, SCHEDULE, slot, stopped.pass);
      await waitFor('the first replica holding the claim', () => stopped.claims.length === 1);
      const runner = slotRunner({ database: replicaB, schedule: SCHEDULE, trigger, recheckMs: 100, log });
      const serving = runner.fire(slot);
      await sleep(500);
      expect(passes, 'nothing while the claimer lives').toEqual([]);
      await terminateLockHolder();
      await serving;
      await runner.stop();
      expect(passes).toEqual([`${SCHEDULE} ${SCHEDULE}-${slot.getTime()}`]);
      expect(lines.filter((l) => l.msg.startsWith('nightly run taken over')).map((l) => l.from)).toEqual([replicaName()]);
      stopped.finish(new Error('stopped'));
      await expect(first).rejects.toThrow();
    });

    it('gives up retrying a slot once a newer one fires: the newer pass covers the drop root too', async () => {
      const { log } = capturedLog();
      const runner = slotRunner({ database: replicaA, schedule: SCHEDULE, trigger, recheckMs: 100, log });
      const older = nextSlot();
      const newer = nextSlot();
      failures = 1_000;
      const olderServed = runner.fire(older);
      await sleep(250);
      failures = 0;
      await runner.fire(newer);
      await olderServed;
      await runner.stop();
      expect(passes).toEqual([`${SCHEDULE} ${SCHEDULE}-${newer.getTime()}`]);
      expect((await row(older)).finished_at).toBeNull();
    });

    it('on start, finishes the latest slot left unfinished, and leaves a finished one alone', async () => {
      const { log } = capturedLog();
      const slot = nextSlot();
      await replicaA.db.insertInto('core.scheduled_run').values({ schedule: SCHEDULE, slot, claimed_by: 'host-a:222' }).execute();
      const runner = slotRunner({ database: replicaB, schedule: SCHEDULE, trigger, recheckMs: 100, log });
      await runner.resumeLatest();
      expect(passes).toEqual([`${SCHEDULE} ${SCHEDULE}-${slot.getTime()}`]);
      expect((await lastRun(replicaA.db, SCHEDULE))?.finished_at).not.toBeNull();
      await runner.resumeLatest();
      await runner.stop();
      expect(passes).toHaveLength(1);
    });

    it('stop ends the retries at once', async () => {
      const { log } = capturedLog();
      const runner = slotRunner({ database: replicaA, schedule: SCHEDULE, trigger, recheckMs: 60_000, log });
      failures = 1;
      const serving = runner.fire(nextSlot());
      await waitFor('the first try failing', async () => failures === 0);
      await runner.stop();
      await serving;
      expect(passes).toEqual([]);
    });
  });

  it('the embedded database (one process owns it): an unfinished slot is taken over without a lock', async () => {
    const dir = await tempDir('schedule-slots-pglite');
    const embedded = await openDatabase({ embeddedDir: `${dir.dir}/.dstats` });
    try {
      await migrate(embedded);
      const slot = nextSlot();
      await embedded.db.insertInto('core.scheduled_run').values({ schedule: SCHEDULE, slot, claimed_by: 'host-a:333' }).execute();
      const resumed = heldPass(4);
      resumed.finish();
      expect(await runSlot(embedded, SCHEDULE, slot, resumed.pass)).toBe('ran');
      expect(resumed.claims).toEqual([{ takenOverFrom: 'host-a:333' }]);
      expect(await runSlot(embedded, SCHEDULE, slot, resumed.pass)).toBe('finished');
    } finally {
      await embedded.close();
      await dir.remove();
    }
  });
});
