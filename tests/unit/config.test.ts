// Configuration from the environment (src/config.ts): defaults, and actionable errors for bad values.
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORK_MEM, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults the queue prefix, the work memory of dstats sessions, the rollup passes at once and the rollup wait', () => {
    const config = loadConfig({});
    expect(config.queuePrefix).toBe('dstats');
    expect(config.workMem).toBe(DEFAULT_WORK_MEM);
    expect(config.rollupConcurrency).toBe(2);
    expect(config.rollupMaxWaitMs).toBe(60_000);
  });

  it('takes a hash-tagged queue prefix (Redis Cluster), a work memory in Postgres units, more rollup passes at once and no rollup wait', () => {
    const config = loadConfig({ DSTATS_QUEUE_PREFIX: '{dstats}', DSTATS_WORK_MEM: '256MB', DSTATS_ROLLUP_CONCURRENCY: '4', DSTATS_ROLLUP_MAX_WAIT_MS: '0' });
    expect(config.queuePrefix).toBe('{dstats}');
    expect(config.workMem).toBe('256MB');
    expect(config.rollupConcurrency).toBe(4);
    expect(config.rollupMaxWaitMs).toBe(0);
  });

  it('on a Redis Cluster defaults the queue prefix to a hash-tagged one and refuses a prefix without braces', () => {
    expect(loadConfig({}).redisCluster).toBe(false);
    for (const on of ['true', '1']) {
      const config = loadConfig({ DSTATS_REDIS_CLUSTER: on });
      expect(config.redisCluster).toBe(true);
      expect(config.queuePrefix).toBe('{dstats}');
    }
    expect(loadConfig({ DSTATS_REDIS_CLUSTER: 'true', DSTATS_QUEUE_PREFIX: '{city-164}' }).queuePrefix).toBe('{city-164}');
    expect(loadConfig({ DSTATS_REDIS_CLUSTER: 'false', DSTATS_QUEUE_PREFIX: 'city-164' }).queuePrefix).toBe('city-164');
    expect(() => loadConfig({ DSTATS_REDIS_CLUSTER: 'true', DSTATS_QUEUE_PREFIX: 'city-164' })).toThrow(
      expect.objectContaining({ code: 'REDIS_CLUSTER_PREFIX', message: expect.stringContaining('{city-164}') }),
    );
  });

  it.each([
    ['DSTATS_REDIS_CLUSTER', 'yes please'],
    ['DSTATS_QUEUE_PREFIX', 'dstats:prod'],
    ['DSTATS_QUEUE_PREFIX', '{dstats'],
    ['DSTATS_WORK_MEM', '64 MB'],
    ['DSTATS_WORK_MEM', '64MB; DROP TABLE x'],
    ['DSTATS_ROLLUP_CONCURRENCY', '0'],
    ['DSTATS_ROLLUP_CONCURRENCY', 'two'],
    ['DSTATS_ROLLUP_MAX_WAIT_MS', '-1'],
    ['DSTATS_ROLLUP_MAX_WAIT_MS', '1 minute'],
  ])('rejects %s=%s with CONFIG_INVALID naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(name) }));
  });
});
