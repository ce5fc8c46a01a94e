// One worker at a time per submission: a job can run twice (Redis lost its lock, or recovery
// re-enqueued it while the first run was still going), and two normalise runs of one submission
// would stage its rows twice. A session advisory lock makes the second one step aside.
import type { StageContext } from './context.js';

export async function withSubmissionLock<T>(ctx: StageContext, submissionId: string, fn: () => Promise<T>): Promise<T | 'busy'> {
  if (ctx.database.kind === 'pglite') return fn(); // one process owns the embedded database
  return ctx.database.withSession(async (session) => {
    const key = `dstats:submission:${submissionId}`;
    const [got] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
    if (!got?.locked) return 'busy';
    try {
      return await fn();
    } finally {
      await session.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  });
}
