// A schedule slot is run by exactly one replica, and run by another one if its replica stops
// before the pass was handed on. A replica tries a slot only while it holds the slot's session
// lock, and keeps holding it until the slot is marked finished: so an unfinished slot whose lock
// is free was left by a replica that stopped, or whose pass failed, and the next one takes it over.
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/connect.js';
import type { DB } from '../db/schema.js';
import { withSessionLock } from '../db/session-lock.js';

export const replicaName = () => `${os.hostname()}:${process.pid}`;

/** How this replica came to run a slot: it claimed it first, or took over an unfinished claim. */
export interface SlotClaim {
  takenOverFrom?: string;
}

/**
 * 'ran': this replica ran the pass and marked the slot finished; 'finished': another one had;
 * 'busy': another one is running it now. A failing pass throws, leaving the slot to a retry.
 */
export type SlotOutcome = 'ran' | 'finished' | 'busy';

export async function runSlot(
  database: Database,
  schedule: string,
  slot: Date,
  pass: (claim: SlotClaim) => Promise<{ files?: number }>,
): Promise<SlotOutcome> {
  return withSessionLock(database, `dstats:schedule:${schedule}:${slot.toISOString()}`, async () => {
    const claim = await claimSlot(database.db, schedule, slot);
    if (claim === 'finished') return claim;
    const result = await pass(claim);
    await finishSlot(database.db, schedule, slot, result.files ?? 0);
    return 'ran' as const;
  });
}

async function claimSlot(db: Kysely<DB>, schedule: string, slot: Date): Promise<SlotClaim | 'finished'> {
  const me = replicaName();
  const claimed = await db
    .insertInto('core.scheduled_run')
    .values({ schedule, slot, claimed_by: me })
    .onConflict((oc) => oc.columns(['schedule', 'slot']).doNothing())
    .returning('slot')
    .executeTakeFirst();
  if (claimed) return {};
  const earlier = await db
    .selectFrom('core.scheduled_run')
    .select(['claimed_by', 'finished_at'])
    .where('schedule', '=', schedule)
    .where('slot', '=', slot)
    .executeTakeFirstOrThrow();
  if (earlier.finished_at) return 'finished';
  await db
    .updateTable('core.scheduled_run')
    .set({ claimed_by: me, started_at: sql<Date>`now()` })
    .where('schedule', '=', schedule)
    .where('slot', '=', slot)
    .execute();
  return { takenOverFrom: earlier.claimed_by };
}

async function finishSlot(db: Kysely<DB>, schedule: string, slot: Date, files: number): Promise<void> {
  await db
    .updateTable('core.scheduled_run')
    .set({ finished_at: sql<Date>`now()`, files })
    .where('schedule', '=', schedule)
    .where('slot', '=', slot)
    .execute();
}

export async function lastRun(db: Kysely<DB>, schedule: string) {
  return db.selectFrom('core.scheduled_run').selectAll().where('schedule', '=', schedule).orderBy('slot', 'desc').limit(1).executeTakeFirst();
}
