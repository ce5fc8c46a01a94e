// A streaming read replica of a private Postgres (faults.ts): `pg_basebackup -R` of the primary,
// started as a hot standby on a free port, removed afterwards.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { asPostgres, freePort, PG_BIN, postgresOwnedTempDir, waitFor, type PrivatePostgres } from './faults.js';
import { queryAt } from './services.js';

export interface PrivateStandby {
  url: string;
  /** Waits until the standby has replayed everything the primary had written when called. */
  caughtUp(): Promise<void>;
  destroy(): Promise<void>;
}

export async function privateStandby(primary: PrivatePostgres): Promise<PrivateStandby> {
  const port = await freePort();
  const dir = await postgresOwnedTempDir('pg-standby');
  const data = path.join(dir, 'data');
  const standby: PrivateStandby = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async caughtUp() {
      const { lsn } = (await queryAt<{ lsn: string }>(primary.url, 'SELECT pg_current_wal_lsn()::text AS lsn'))[0]!;
      await waitFor(
        `the standby to replay up to ${lsn}`,
        async () => (await queryAt<{ done: boolean }>(standby.url, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]))[0]!.done,
        30_000,
        50,
      );
    },
    async destroy() {
      await asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    // -R writes primary_conninfo and standby.signal: the copy starts as a streaming hot standby.
    await asPostgres([`${PG_BIN}/pg_basebackup`, '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--checkpoint=fast']);
    await asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-l', path.join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', 'start']);
  } catch (error) {
    await standby.destroy();
    throw error;
  }
  return standby;
}
