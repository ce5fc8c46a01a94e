// When a rollup queued through BullMQ should run. A rollup recomputes each affected ancestor from
// all of its children, so a rollup that runs while a night's files are still being loaded does
// work that the next one redoes for the same ancestors. While files are on their way to the
// warehouse, the rollup therefore waits for them, but never longer than a bound, so that a long
// import still shows progress in the mart. (`dstats run` without Redis rolls up once after the
// last file anyway.)

/** How often a waiting rollup looks again whether files are still in flight. */
export const ROLLUP_RECHECK_MS = 1000;

export interface RollupWaitInput {
  /** when the rollup was queued (ms since the epoch) */
  queuedAt: number;
  now: number;
  /** scan, intake, normalise and load jobs waiting or running */
  filesInFlight: number;
  /** DSTATS_ROLLUP_MAX_WAIT_MS */
  maxWaitMs: number;
}

/** The time to look again, or null when the rollup should run now. */
export function rollupWaitUntil({ queuedAt, now, filesInFlight, maxWaitMs }: RollupWaitInput): number | null {
  if (filesInFlight <= 0) return null;
  const deadline = queuedAt + maxWaitMs;
  if (now >= deadline) return null;
  return Math.min(now + ROLLUP_RECHECK_MS, deadline);
}
