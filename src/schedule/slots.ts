// A schedule slot is run by exactly one replica: the one whose insert of the slot wins.
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export const replicaName = () => `${os.hostname()}:${process.pid}`;

export async function claimSlot(db: Kysely<DB>, schedule: string, slot: Date): Promise<boolean> {
  const claimed = await db
    .insertInto('core.scheduled_run')
    .values({ schedule, slot, claimed_by: replicaName() })
    .onConflict((oc) => oc.columns(['schedule', 'slot']).doNothing())
    .returning('slot')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function finishSlot(db: Kysely<DB>, schedule: string, slot: Date, files: number): Promise<void> {
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
