// One worker at a time per submission: a job can run twice (Redis lost its lock, or recovery
// re-enqueued it while the first run was still going), and two normalise runs of one submission
// would stage its rows twice. A session advisory lock makes the second one step aside.
import { withSessionLock } from '../db/session-lock.js';
import type { StageContext } from './context.js';

export function withSubmissionLock<T>(ctx: StageContext, submissionId: string, fn: () => Promise<T>): Promise<T | 'busy'> {
  return withSessionLock(ctx.database, `dstats:submission:${submissionId}`, fn);
}
