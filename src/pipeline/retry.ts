// How often a stage is tried on one submission, and how long between tries, before the
// submission ends as PROCESSING_FAILED. The queues (jobs/queues.ts) and the in-process runner use
// the same: a file that keeps failing ends in rejected/ with the reason either way.
export const ATTEMPTS = 5;
export const FIRST_RETRY_DELAY_MS = 1_000;

/** Delay before the try after `attempt` (1-based): 1, 2, 4, 8 s, as BullMQ's exponential backoff. */
export const retryDelayMs = (attempt: number) => FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1);
