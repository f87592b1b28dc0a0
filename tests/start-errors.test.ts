/**
 * Every misconfiguration a start can meet is one line naming the setting and the fix, exit 1, no
 * stack: through runCommand and bootstrap in-process (every run), and as the built server's only
 * output (when dist/ is built, as in CI). The port is bound before the database is touched, and
 * a missing database is never created.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../src/cli.js';
import { loadConfig } from '../src/config.js';
import { dataDirStartError } from '../src/errors/start-errors.js';
import { MIGRATIONS_LOCK } from '../src/db/orm.js';
import { bootstrap } from '../src/server.js';
import { freePort } from './helpers/ports.js';
import { freshDatabase, testConfig } from './helpers/server.js';
import { timeoutFor } from './helpers/scale.js';

const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'main.js');
const adminUrl = process.env.TEST_DATABASE_URL;

let scratch: string;
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ledgerline-start-'));
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/** The environment of a start that would work (an embedded database in its own directory). */
function env(overrides: Record<string, string>, name: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    BCRYPT_COST: '4',
    JWT_SECRET: 'start-errors-test-secret-0123456789abcdef',
    DATA_DIR: join(scratch, name),
    ...overrides,
  };
}

/** Starts (and, should it start, stops) a server as `npm start` would; the exit code and stderr lines. */
async function start(environment: Record<string, string>) {
  const stderr: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.join(' ')));
  let code: number | undefined;
  await runCommand(
    async () => {
      const server = await bootstrap({ config: loadConfig(environment) });
      await server.close();
    },
    (exitCode) => (code = exitCode),
  );
  return { code, stderr };
}

function expectOneLine(result: { code: number | undefined; stderr: string[] }, ...patterns: RegExp[]) {
  expect(result.code).toBe(1);
  expect(result.stderr).toHaveLength(1);
  const [line] = result.stderr as [string];
  expect(line).not.toContain('\n');
  expect(line).not.toMatch(/\bat .*\.(js|ts):\d+/);
  for (const pattern of patterns) expect(line).toMatch(pattern);
}

describe('a start that cannot work is one line and exit 1', () => {
  it('nothing listens at DATABASE_URL', async () => {
    const refused = await start(env({ DATABASE_URL: 'postgres://root:secret@127.0.0.1:1/ledgerline' }, 'b'));
    expectOneLine(refused, /^Cannot use DATABASE_URL/, /127\.0\.0\.1:1/, /PostgreSQL running/);
    expect(refused.stderr[0]).not.toContain('secret');
  });

  it('an unknown host in DATABASE_URL', async () => {
    const result = await start(
      env({ DATABASE_URL: 'postgres://root@no-such-host.invalid:5432/ledgerline' }, 'c'),
    );
    expectOneLine(result, /DATABASE_URL/, /no-such-host\.invalid/);
  });

  it.skipIf(!adminUrl)('an unknown role, and a database that does not exist (never created)', async () => {
    const server = new URL(adminUrl!);
    const role = new URL(adminUrl!);
    role.username = 'no_such_role_ledgerline';
    expectOneLine(
      await start(env({ DATABASE_URL: role.toString() }, 'd')),
      /DATABASE_URL/,
      /no_such_role_ledgerline/,
    );

    const name = `ledgerline_typo_${Date.now()}`;
    server.pathname = `/${name}`;
    expectOneLine(
      await start(env({ DATABASE_URL: server.toString() }, 'e')),
      /DATABASE_URL/,
      new RegExp(`database "${name}" does not exist`),
      /createdb/,
    );
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
      expect(found.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('DATA_DIR is a file', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'not a directory');
    expectOneLine(
      await start(env({ DATA_DIR: file }, 'unused')),
      /^Cannot use DATA_DIR/,
      /a file stands where a directory is needed/,
    );
  });

  it('DATA_DIR not writable names the setting (mapped from EACCES; root ignores permissions here)', () => {
    const error = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/x'"), { code: 'EACCES' });
    expect(String((dataDirStartError(error, '/srv/x') as Error).message)).toMatch(
      /^Cannot use DATA_DIR \/srv\/x: permission denied \(EACCES\)/,
    );
  });

  it(
    'the port in use: refused before the database is opened or migrated',
    async () => {
      const dataDir = join(scratch, 'port-taken');
      const result = await start(env({ PORT: String(takenPort), DATA_DIR: dataDir }, 'unused'));
      expectOneLine(result, new RegExp(`^PORT ${takenPort} is already in use`), /set PORT/);
      // Nothing was created: the embedded database never started.
      expect(existsSync(dataDir) ? await readdir(dataDir) : []).not.toContain('pgdata');
    },
    timeoutFor(1, 60_000),
  );

  it('HOST that is not an address of this machine', async () => {
    for (const host of ['999.1.1.1', '192.0.2.1']) {
      expectOneLine(
        await start(env({ HOST: host }, 'unused')),
        new RegExp(`^HOST ${host.replaceAll('.', '\\.')}`),
      );
    }
  });
});

describe.skipIf(!adminUrl)('while starting (migrations waiting on another replica)', () => {
  it('the port answers at once: /readyz 503 "starting", /healthz 200; ready once migrated', async () => {
    const database = await freshDatabase();
    // Another replica holds the migrations lock: this one has bound its port and waits.
    const other = new pg.Client({ connectionString: database.databaseUrl });
    await other.connect();
    await other.query('select pg_advisory_lock($1)', [MIGRATIONS_LOCK]);
    const port = await freePort();
    const starting = bootstrap({
      config: testConfig({ port, databaseUrl: database.databaseUrl, dataDir: database.dataDir }),
    });
    try {
      const origin = `http://127.0.0.1:${port}`;
      // The port is bound early in bootstrap; until then a connection is refused.
      let ready: Response | undefined;
      for (let tries = 0; !ready; tries++) {
        ready = await fetch(`${origin}/readyz`).catch(async (error: unknown) => {
          if (tries > 200) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return undefined;
        });
      }
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'starting' });
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${origin}/graphql`, { method: 'POST' })).status).toBe(503);
      await other.query('select pg_advisory_unlock($1)', [MIGRATIONS_LOCK]);
      const server = await starting;
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      await server.close();
    } finally {
      await other.end();
      await starting.then((server) => server.close()).catch(() => undefined);
      await database.drop();
    }
  });
});

describe.skipIf(!existsSync(MAIN))('the built server (as npm start runs it)', () => {
  /** Runs dist/src/main.js; everything it printed and its exit code. */
  function runBuilt(environment: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
  }

  it(
    'prints only the one line',
    async () => {
      const cases: Record<string, string>[] = [
        { DATABASE_URL: 'postgres://root@127.0.0.1:1/ledgerline' },
        { PORT: String(takenPort) },
        { HOST: '999.1.1.1' },
        { PORT: 'eighty' },
      ];
      for (const overrides of cases) {
        const { code, output } = await runBuilt(env({ ...overrides, LOG_LEVEL: 'info' }, 'built'));
        expect(code).toBe(1);
        expect(output.trim().split('\n')).toHaveLength(1);
        expect(output).not.toMatch(/\bat .*\.js:\d+/);
      }
    },
    timeoutFor(4, 30_000),
  );
});
