// Configuration from the environment (src/config.ts): defaults, and actionable errors for bad values.
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORK_MEM, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults the queue prefix, the work memory of dstats sessions and the rollup passes at once', () => {
    const config = loadConfig({});
    expect(config.queuePrefix).toBe('dstats');
    expect(config.workMem).toBe(DEFAULT_WORK_MEM);
    expect(config.rollupConcurrency).toBe(2);
  });

  it('takes a hash-tagged queue prefix (Redis Cluster) a work memory in Postgres units and more rollup passes at once', () => {
    const config = loadConfig({ DSTATS_QUEUE_PREFIX: '{dstats}', DSTATS_WORK_MEM: '256MB', DSTATS_ROLLUP_CONCURRENCY: '4' });
    expect(config.queuePrefix).toBe('{dstats}');
    expect(config.workMem).toBe('256MB');
    expect(config.rollupConcurrency).toBe(4);
  });

  it.each([
    ['DSTATS_QUEUE_PREFIX', 'dstats:prod'],
    ['DSTATS_QUEUE_PREFIX', '{dstats'],
    ['DSTATS_WORK_MEM', '64 MB'],
    ['DSTATS_WORK_MEM', '64MB; DROP TABLE x'],
    ['DSTATS_ROLLUP_CONCURRENCY', '0'],
    ['DSTATS_ROLLUP_CONCURRENCY', 'two'],
  ])('rejects %s=%s with CONFIG_INVALID naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(name) }));
  });
});
