// A command started against a wrong DATABASE_URL or REDIS_URL, or a stopped server, says so in both
// languages with a code and exits 3, instead of printing a stack trace or (Redis) retrying forever.
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, serverUrls, tempDir, withUrlParts, type TestDatabase } from '../helpers/services.js';

/** A local port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectUnreachable(result: CliResult, code: string, detail: RegExp) {
  expect(result.code, result.stderr).toBe(3);
  expect(result.stderr).toContain(`dstats: [${code}] Không kết nối được`);
  expect(result.stderr).toMatch(/Cannot reach/);
  expect(result.stderr).toMatch(detail);
  expect(result.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
}

describe('a command that cannot reach its servers', () => {
  let database: TestDatabase;
  let root: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    root = await tempDir('cli-unreachable');
    await mkdir(path.join(root.dir, 'inbox'), { recursive: true });
  });
  afterAll(async () => {
    await database?.drop();
    await root?.remove();
  });

  it('names a database that does not exist, without the password', async () => {
    const url = withUrlParts(serverUrls().databaseUrl, { pathname: `/${database.name}_missing`, password: 'hunter2' });
    const result = await runCli(['status', '--root', root.dir], { DATABASE_URL: url });
    expectUnreachable(result, 'DATABASE_UNREACHABLE', new RegExp(`database "${database.name}_missing" does not exist`));
    expect(result.stderr).not.toContain('hunter2');
  });

  it('names a Postgres that refuses the connection', async () => {
    const url = withUrlParts(database.url, { port: await closedPort() });
    const result = await runCli(['run', '--root', root.dir], { DATABASE_URL: url });
    expectUnreachable(result, 'DATABASE_UNREACHABLE', /ECONNREFUSED/);
  });

  it('names a role the server does not know', async () => {
    const url = withUrlParts(database.url, { username: 'dstats_no_such_role' });
    const result = await runCli(['migrate'], { DATABASE_URL: url });
    expectUnreachable(result, 'DATABASE_UNREACHABLE', /dstats_no_such_role/);
  });

  it('stops `run` at once when Redis refuses, instead of retrying without end', async () => {
    const redisUrl = withUrlParts(serverUrls().redisUrl, { port: await closedPort(), password: 'hunter2' });
    const result = await runCli(['run', '--root', root.dir], { DATABASE_URL: database.url, REDIS_URL: redisUrl }, 60_000);
    expectUnreachable(result, 'REDIS_UNREACHABLE', /ECONNREFUSED/);
    expect(result.stderr).not.toContain('hunter2');
  }, 70_000);

  it.each(['worker', 'scheduler', 'watch'])('stops `%s` at once when Redis refuses', async (command) => {
    const redisUrl = withUrlParts(serverUrls().redisUrl, { port: await closedPort() });
    const result = await runCli([command], { DATABASE_URL: database.url, REDIS_URL: redisUrl, DSTATS_ROOT: root.dir }, 60_000);
    expectUnreachable(result, 'REDIS_UNREACHABLE', /ECONNREFUSED/);
  }, 70_000);

  it('reports the database in `status` and says in one line that Redis cannot be reached', async () => {
    expect((await runCli(['migrate'], { DATABASE_URL: database.url })).code).toBe(0);
    const redisUrl = withUrlParts(serverUrls().redisUrl, { port: await closedPort() });
    const result = await runCli(['status', '--root', root.dir], { DATABASE_URL: database.url, REDIS_URL: redisUrl }, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('submissions: none');
    expect(result.stdout).toMatch(/^queues: \[REDIS_UNREACHABLE\] Không kết nối được Redis .*ECONNREFUSED/m);
    expect(result.stdout).toMatch(/Cannot reach Redis/);
  }, 70_000);

  it.each(['scheduler', 'watch'])('`%s` refuses a drop root without inbox/ (a wrong DSTATS_ROOT would find nothing each night)', async (command) => {
    const notARoot = path.join(root.dir, 'inbox', 'no-drop-root');
    const result = await runCli([command], { DATABASE_URL: database.url, DSTATS_ROOT: notARoot });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`[ROOT_MISSING]`);
    expect(result.stderr).toContain(`${notARoot} is not a dstats drop root: it has no inbox/ folder`);
  });

  it('`status` says when the drop root has no inbox/ instead of counting 0 files waiting', async () => {
    expect((await runCli(['migrate'], { DATABASE_URL: database.url })).code).toBe(0);
    const notARoot = path.join(root.dir, 'inbox');
    const result = await runCli(['status', '--root', notARoot], { DATABASE_URL: database.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`files waiting in inbox/: no folder ${path.join(notARoot, 'inbox')} (check --root or DSTATS_ROOT)`);
  });

  it('still runs against the same servers when they are reachable', async () => {
    const result = await runCli(['run', '--root', root.dir], { DATABASE_URL: database.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Files loaded: 0');
  });
});
