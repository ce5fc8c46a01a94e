import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLLUP_RECHECK_MS, rollupWaitUntil } from '../../src/rollup/wait.js';

const input = fc.record({
  queuedAt: fc.integer({ min: 0, max: 2 ** 40 }),
  waited: fc.integer({ min: 0, max: 10 * 60_000 }),
  filesInFlight: fc.integer({ min: 0, max: 10_000 }),
  maxWaitMs: fc.integer({ min: 0, max: 5 * 60_000 }),
});

describe('rollupWaitUntil', () => {
  it('runs at once when no file is in flight', () => {
    fc.assert(
      fc.property(input, ({ queuedAt, waited, maxWaitMs }) => {
        expect(rollupWaitUntil({ queuedAt, now: queuedAt + waited, filesInFlight: 0, maxWaitMs })).toBeNull();
      }),
    );
  });

  it('waits while files are in flight, looking again within a second and never past the bound', () => {
    fc.assert(
      fc.property(input, ({ queuedAt, waited, filesInFlight, maxWaitMs }) => {
        const now = queuedAt + waited;
        const until = rollupWaitUntil({ queuedAt, now, filesInFlight, maxWaitMs });
        if (filesInFlight === 0 || waited >= maxWaitMs) {
          expect(until).toBeNull();
        } else {
          expect(until).not.toBeNull();
          expect(until!).toBeGreaterThan(now);
          expect(until!).toBeLessThanOrEqual(now + ROLLUP_RECHECK_MS);
          expect(until!).toBeLessThanOrEqual(queuedAt + maxWaitMs);
        }
      }),
    );
  });

  it('never waits with a bound of 0 (the rollup after every load, as before)', () => {
    expect(rollupWaitUntil({ queuedAt: 1000, now: 1000, filesInFlight: 65, maxWaitMs: 0 })).toBeNull();
  });

  it('runs when the bound is reached even though files are still coming', () => {
    expect(rollupWaitUntil({ queuedAt: 0, now: 59_999, filesInFlight: 3, maxWaitMs: 60_000 })).toBe(60_000);
    expect(rollupWaitUntil({ queuedAt: 0, now: 60_000, filesInFlight: 3, maxWaitMs: 60_000 })).toBeNull();
  });
});
