// What a scheduler replica does with the slots of one schedule: run each slot it fires for, or
// see that another replica did. A slot that another replica is still running, or whose pass
// failed, is tried again every `recheckMs` until it is finished or a newer slot has fired (a
// newer pass covers the drop root as well). On start, the latest slot is tried again too: a
// replica restarted after it stopped mid-slot finishes it even when it is the only one.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/connect.js';
import type { Logger } from '../log.js';
import { lastRun, runSlot } from './slots.js';
import type { Trigger } from './trigger.js';

export interface SlotRunner {
  /** Runs the slot that just fired (resolves once it is finished, given up or stopped). */
  fire(slot: Date): Promise<void>;
  /** Tries the latest slot again if it was left unfinished. */
  resumeLatest(): Promise<void>;
  /** Stops retrying and waits for a pass under way. */
  stop(): Promise<void>;
}

export function slotRunner(options: { database: Database; schedule: string; trigger: Trigger; recheckMs: number; log: Logger }): SlotRunner {
  const { database, schedule, trigger, recheckMs, log } = options;
  const stopping = new AbortController();
  const serving = new Map<number, Promise<void>>(); // by slot, so a slot is served once here
  let latest = 0;

  const attempt = (slot: Date) =>
    runSlot(database, schedule, slot, async ({ takenOverFrom }) => {
      const at = slot.toISOString();
      if (takenOverFrom) log.warn({ slot: at, from: takenOverFrom }, `${schedule} run taken over: its replica stopped or failed before finishing it`);
      else log.info({ slot: at }, `${schedule} run claimed`);
      return trigger.pass(schedule, `${schedule}-${slot.getTime()}`);
    });

  async function serve(slot: Date): Promise<void> {
    latest = Math.max(latest, slot.getTime());
    while (!stopping.signal.aborted && slot.getTime() === latest) {
      try {
        if ((await attempt(slot)) !== 'busy') return;
      } catch (error) {
        log.error({ err: error, slot: slot.toISOString() }, `${schedule} run failed; trying again in ${recheckMs / 1000} s`);
      }
      await sleep(recheckMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  }

  const tracked = (slot: Date) => {
    const key = slot.getTime();
    const run = serving.get(key) ?? serve(slot).finally(() => serving.delete(key));
    serving.set(key, run);
    return run;
  };

  return {
    fire: tracked,
    async resumeLatest() {
      const last = await lastRun(database.db, schedule);
      if (last && !last.finished_at) await tracked(last.slot);
    },
    async stop() {
      stopping.abort();
      await Promise.allSettled(serving.values());
    },
  };
}
