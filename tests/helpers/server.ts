import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { bootstrap, type BootstrapOptions, type RunningServer } from '../../src/server.js';
import { GraphQLClient } from './graphql.js';

export interface TestServer extends RunningServer {
  client(token?: string): GraphQLClient;
  /** The origin, e.g. http://127.0.0.1:34567, for non-GraphQL routes. */
  origin: string;
  config: Config;
}

/**
 * Settings for a test server: port 0, quiet, cheap bcrypt, a generous auth rate limit (tests
 * that check the limit lower it), and REDIS_URL when the run provides one.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      BCRYPT_COST: '4',
      AUTH_RATE_LIMIT: '100000',
      REDIS_URL: process.env.REDIS_URL,
    }),
    ...overrides,
  };
}

/** Where tests/global-setup.ts left the migrated embedded database that fresh ones copy. */
export const EMBEDDED_TEMPLATE_ENV = 'LEDGERLINE_TEST_EMBEDDED_TEMPLATE';

/**
 * A fresh database for one test file: a new PGlite directory by default (a copy of the run's
 * migrated template when there is one), or with TEST_DATABASE_URL a new database on that
 * PostgreSQL server, dropped afterwards.
 */
export async function freshDatabase(): Promise<{
  dataDir: string;
  databaseUrl?: string;
  drop(): Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ledgerline-test-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const template = process.env[EMBEDDED_TEMPLATE_ENV];
    if (template) await cp(template, join(dataDir, 'pgdata'), { recursive: true });
    return { dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `ledgerline_test_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts the real server (bootstrap, port 0) on a fresh database. close() also drops it. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: Omit<BootstrapOptions, 'config'> = {},
): Promise<TestServer> {
  const database = await freshDatabase();
  const config = testConfig({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, ...overrides });
  let server: RunningServer;
  try {
    server = await bootstrap({ config, ...options });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...server,
    config,
    origin: new URL(server.url).origin,
    client: (token?: string) => new GraphQLClient(server.url, token),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}

/** Whether the suite runs against real PostgreSQL and Redis (tests of several instances). */
export const withPostgresAndRedis = Boolean(process.env.TEST_DATABASE_URL && process.env.REDIS_URL);

/**
 * Runs `use` with two server instances on one fresh PostgreSQL database, sharing a JWT secret
 * and Redis (as replicas behind a load balancer would), then closes both and drops the database.
 */
export async function withTwoInstances(
  use: (a: RunningServer, b: RunningServer) => Promise<void>,
): Promise<void> {
  const database = await freshDatabase();
  const config = testConfig({
    jwtSecret: 'two-instances-share-this-secret-0123456789',
    databaseUrl: database.databaseUrl,
    dataDir: database.dataDir,
    redisUrl: process.env.REDIS_URL,
  });
  const servers: RunningServer[] = [];
  try {
    servers.push(await bootstrap({ config }));
    servers.push(await bootstrap({ config }));
    await use(servers[0]!, servers[1]!);
  } finally {
    for (const running of servers) await running.close();
    await database.drop();
  }
}
