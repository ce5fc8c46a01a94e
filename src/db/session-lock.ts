// A session advisory lock held while fn runs, or 'busy' if another session holds it. Postgres
// drops a session's locks with its connection, so a process that dies lets go of what it held.
import type { Database } from './connect.js';

export async function withSessionLock<T>(database: Database, key: string, fn: () => Promise<T>): Promise<T | 'busy'> {
  if (database.kind === 'pglite') return fn(); // one process owns the embedded database
  return database.withSession(async (session) => {
    const [got] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
    if (!got?.locked) return 'busy';
    try {
      return await fn();
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  });
}
