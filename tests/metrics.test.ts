/**
 * GET /metrics (Prometheus text format) on METRICS_PORT only: the exposition is well formed, it
 * is never served on the API's port nor at all without METRICS_PORT, and each instrument moves
 * when the API does the thing it counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedRows } from '../src/db/prepared-rows.js';
import { inRetryingTransaction } from '../src/db/retrying-transaction.js';
import { bootstrap } from '../src/server.js';
import { createBudget } from './helpers/budgets.js';
import { BAD_USER_INPUT, RATE_LIMITED } from './helpers/error-codes.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { capturingLogger } from './helpers/logs.js';
import { ALERT_FIELDS, LOGIN } from './helpers/operations.js';
import { freshDatabase, startTestServer, testConfig, type TestServer } from './helpers/server.js';
import { bearer, connect, rawSocket } from './helpers/sockets.js';
import { withTimeout } from './helpers/timing.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';

type Samples = Map<string, number>;

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABELS = `\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}(?:,[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE})*,?)?\\}`;
// NaN in any case: prom-client writes "Nan" (an event-loop gauge with no sample since the last
// scrape), which Prometheus reads with Go's ParseFloat, case-insensitive for NaN and Inf.
const VALUE = '(?:[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?)|[Nn][Aa][Nn]|[-+]Inf)';
const SAMPLE = new RegExp(`^(${NAME})(${LABELS})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/**
 * A strict reader of the text format (0.0.4): every line is a HELP, a TYPE or a sample; each
 * family has one HELP and one TYPE, before its samples; a sample's name is its family's (with
 * _bucket/_sum/_count for histograms, _sum/_count for summaries). Returns value by series key.
 */
function parseExposition(text: string): Samples {
  expect(text.endsWith('\n'), 'ends with a newline').toBe(true);
  const help = new Set<string>();
  const types = new Map<string, string>();
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const helpMatch = HELP.exec(line);
    const typeMatch = TYPE.exec(line);
    if (helpMatch) {
      expect(help.has(helpMatch[1]!), `second HELP for ${helpMatch[1]}`).toBe(false);
      help.add(helpMatch[1]!);
      continue;
    }
    if (typeMatch) {
      expect(types.has(typeMatch[1]!), `second TYPE for ${typeMatch[1]}`).toBe(false);
      types.set(typeMatch[1]!, typeMatch[2]!);
      continue;
    }
    const sample = SAMPLE.exec(line);
    expect(sample, `not a HELP, TYPE or sample line: ${line}`).not.toBeNull();
    const [, name, labels = '', value] = sample!;
    const family = [name!, name!.replace(/_(bucket|sum|count)$/, '')].find((candidate) => {
      const type = types.get(candidate);
      if (candidate === name) return type !== undefined;
      const suffix = name!.slice(candidate.length);
      return type === 'histogram' || (type === 'summary' && suffix !== '_bucket');
    });
    expect(family, `sample ${name} before or without its # TYPE`).toBeDefined();
    expect(help.has(family!), `no # HELP for ${family}`).toBe(true);
    samples.set(seriesKey(name!, parseLabels(labels)), Number(value!.replace('Inf', 'Infinity')));
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels[key!] = value!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
  }
  return labels;
}

const seriesKey = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',')}}`;

let server: TestServer;
let user: RegisteredUser;

async function scrape(): Promise<Samples> {
  const response = await fetch(server.metricsUrl!);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

/** A series' value now (0 when it has no sample yet: a labelled counter before its first event). */
async function valueOf(name: string, labels: Record<string, string> = {}): Promise<number> {
  return (await scrape()).get(seriesKey(name, labels)) ?? 0;
}

/** Waits (at most 5 s) until the series has `expected`'s value. */
async function eventually(name: string, labels: Record<string, string>, expected: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await valueOf(name, labels);
    if (value === expected || Date.now() > deadline) {
      expect(value, seriesKey(name, labels)).toBe(expected);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  server = await startTestServer({ metricsPort: 0, wsMessagesPerMinute: 10, loginFailsPerEmailAndIp: 1 });
  user = await registerUser(server.client());
});
afterAll(() => server?.close());

describe('the /metrics listener', () => {
  it('serves a well-formed exposition on METRICS_HOST, with the process metrics', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(server.metricsUrl!).port).not.toBe(new URL(server.url).port);
    const samples = await scrape();
    expect(samples.has(seriesKey('process_cpu_user_seconds_total'))).toBe(true);
    expect(samples.has(seriesKey('nodejs_eventloop_lag_seconds'))).toBe(true);
    for (const name of [
      'ledgerline_db_pool_connections_in_use',
      'ledgerline_db_pool_connections_idle',
      'ledgerline_db_pool_acquires_waiting',
      'ledgerline_ws_sockets_open',
      'ledgerline_ws_subscriptions_active',
      'ledgerline_alerts_published_total',
      'ledgerline_alerts_delivered_total',
    ]) {
      expect(samples.get(seriesKey(name)), name).toBeGreaterThanOrEqual(0);
    }
    expect(samples.get(seriesKey('ledgerline_db_transaction_retries_total', { reason: 'deadlock' }))).toBe(0);
    // The pool has lent out or keeps the connection the registration used.
    const pool =
      samples.get(seriesKey('ledgerline_db_pool_connections_in_use'))! +
      samples.get(seriesKey('ledgerline_db_pool_connections_idle'))!;
    expect(pool).toBeGreaterThanOrEqual(1);
  });

  it('answers only GET /metrics', async () => {
    const origin = new URL(server.metricsUrl!).origin;
    expect((await fetch(`${origin}/`)).status).toBe(404);
    expect((await fetch(`${origin}/graphql`)).status).toBe(404);
    expect((await fetch(server.metricsUrl!, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${server.metricsUrl!}?name[]=x`)).status).toBe(200);
  });

  it('is not served on the API port', async () => {
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(404);
  });

  it('is not served at all without METRICS_PORT', async () => {
    const { log, lines } = capturingLogger('info');
    const plain = await startTestServer({}, { log });
    try {
      expect(plain.config.metricsPort).toBeUndefined();
      expect(plain.metricsUrl).toBeUndefined();
      const listening = lines.map((line) => JSON.parse(line)).find((e) => e.msg === 'server listening');
      expect(listening).toBeDefined();
      expect(listening).not.toHaveProperty('metricsUrl');
      expect((await fetch(`${plain.origin}/metrics`)).status).toBe(404);
      // The instruments still count (cheaply); nothing serves them.
      expect(await plain.app.metrics.registry.metrics()).toContain('ledgerline_http_requests_total');
    } finally {
      await plain.close();
    }
  });

  it('a METRICS_PORT already taken fails the start and undoes it; the log names the metrics URL', async () => {
    const database = await freshDatabase();
    const taken = Number(new URL(server.metricsUrl!).port);
    const config = testConfig({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
    try {
      await expect(bootstrap({ config: { ...config, metricsPort: taken } })).rejects.toThrow(/EADDRINUSE/);
      // Started again on the same data: the embedded database's lock was released.
      const { log, lines } = capturingLogger('info');
      const running = await bootstrap({ config: { ...config, metricsPort: 0 }, log });
      try {
        const listening = lines.map((line) => JSON.parse(line)).find((e) => e.msg === 'server listening');
        expect(listening.metricsUrl).toBe(running.metricsUrl);
        expect((await fetch(running.metricsUrl!)).status).toBe(200);
      } finally {
        await running.close();
      }
      await expect(fetch(running.metricsUrl!)).rejects.toThrow();
    } finally {
      await database.drop();
    }
  });
});

describe('the instruments', () => {
  it('count GraphQL operations by name, type and outcome, with their latency', async () => {
    const client = server.client(user.accessToken);
    const ok = { operation: 'Me', type: 'query', outcome: 'ok' };
    const bad = { operation: 'BadAccount', type: 'mutation', outcome: BAD_USER_INPUT };
    const okBefore = await valueOf('ledgerline_graphql_operations_total', ok);
    const badBefore = await valueOf('ledgerline_graphql_operations_total', bad);
    const timedBefore = await valueOf('ledgerline_graphql_operation_duration_seconds_count', {
      operation: 'Me',
      type: 'query',
    });

    await client.data('query Me { me { id } }');
    expect(
      await client.errorCode(
        'mutation BadAccount { createAccount(input: { name: "  ", type: CHECKING }) { id } }',
      ),
    ).toBe(BAD_USER_INPUT);
    await client.request('{ me { id } }');
    await client.request('query { nope }');

    const samples = await scrape();
    expect(samples.get(seriesKey('ledgerline_graphql_operations_total', ok))).toBe(okBefore + 1);
    expect(samples.get(seriesKey('ledgerline_graphql_operations_total', bad))).toBe(badBefore + 1);
    expect(
      samples.get(
        seriesKey('ledgerline_graphql_operation_duration_seconds_count', { operation: 'Me', type: 'query' }),
      ),
    ).toBe(timedBefore + 1);
    expect(
      samples.get(
        seriesKey('ledgerline_graphql_operations_total', {
          operation: 'anonymous',
          type: 'query',
          outcome: 'ok',
        }),
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      samples.get(
        seriesKey('ledgerline_graphql_operations_total', {
          operation: 'anonymous',
          type: 'unknown',
          outcome: 'GRAPHQL_VALIDATION_FAILED',
        }),
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('bound the operation-name label: long names and names past the cap are "other"', async () => {
    const client = server.client(user.accessToken);
    const other = { operation: 'other', type: 'query', outcome: 'ok' };
    const before = await valueOf('ledgerline_graphql_operations_total', other);
    await client.data(`query ${'L'.repeat(65)} { me { id } }`);
    expect(await valueOf('ledgerline_graphql_operations_total', other)).toBe(before + 1);
  });

  it('count HTTP requests by route and status, never by raw path', async () => {
    const before = {
      graphql: await valueOf('ledgerline_http_requests_total', { route: '/graphql', status: '200' }),
      healthz: await valueOf('ledgerline_http_requests_total', { route: '/healthz', status: '200' }),
      other: await valueOf('ledgerline_http_requests_total', { route: 'other', status: '404' }),
      timed: await valueOf('ledgerline_http_request_duration_seconds_count', { route: '/graphql' }),
    };
    await server.client(user.accessToken).data('{ me { id } }');
    await fetch(`${server.origin}/healthz`);
    await fetch(`${server.origin}/no/such/path-${Date.now()}`);

    const samples = await scrape();
    const get = (name: string, labels: Record<string, string>) => samples.get(seriesKey(name, labels));
    expect(get('ledgerline_http_requests_total', { route: '/graphql', status: '200' })).toBe(
      before.graphql + 1,
    );
    expect(get('ledgerline_http_requests_total', { route: '/healthz', status: '200' })).toBe(
      before.healthz + 1,
    );
    expect(get('ledgerline_http_requests_total', { route: 'other', status: '404' })).toBe(before.other + 1);
    expect(get('ledgerline_http_request_duration_seconds_count', { route: '/graphql' })).toBe(
      before.timed + 1,
    );
    expect([...samples.keys()].some((key) => key.includes('/no/such'))).toBe(false);
  });

  it('time SQL statements, those through knex and the prepared ones alike', async () => {
    const client = server.client(user.accessToken);
    const before = await valueOf('ledgerline_db_statement_duration_seconds_count', { outcome: 'ok' });
    await client.data('{ me { id } }');
    const afterKnex = await valueOf('ledgerline_db_statement_duration_seconds_count', { outcome: 'ok' });
    expect(afterKnex).toBeGreaterThan(before);
    // A prepared statement (db/prepared-rows.ts) runs past knex and is timed all the same: once.
    await preparedRows(server.app.orm.em.fork(), 'select $1::int as one', [1]);
    expect(await valueOf('ledgerline_db_statement_duration_seconds_count', { outcome: 'ok' })).toBe(
      afterKnex + 1,
    );
    // A failing statement is timed as an error.
    const errors = await valueOf('ledgerline_db_statement_duration_seconds_count', { outcome: 'error' });
    await expect(server.app.orm.em.fork().execute('select * from no_such_table')).rejects.toThrow();
    expect(await valueOf('ledgerline_db_statement_duration_seconds_count', { outcome: 'error' })).toBe(
      errors + 1,
    );
  });

  it('count write transactions retried after a serialization failure', async () => {
    const labels = { reason: 'serialization_failure' };
    const before = await valueOf('ledgerline_db_transaction_retries_total', labels);
    let attempts = 0;
    const result = await inRetryingTransaction(server.app.orm.em.fork(), async () => {
      attempts++;
      if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return 'done';
    });
    expect([result, attempts]).toEqual(['done', 2]);
    expect(await valueOf('ledgerline_db_transaction_retries_total', labels)).toBe(before + 1);
  });

  it('follow a WebSocket subscription: sockets and subscriptions 1, then 0 after close; an alert published and delivered', async () => {
    const owner = await registerUser(server.client());
    const client = server.client(owner.accessToken);
    const account = await createAccount(client, { currency: 'USD', openingBalance: '1000.00' });
    await createBudget(client, { amount: '100.00', alertThresholds: [50], startDate: '2026-01-01' });
    const published = await valueOf('ledgerline_alerts_published_total');
    const delivered = await valueOf('ledgerline_alerts_delivered_total');
    await eventually('ledgerline_ws_sockets_open', {}, 0);

    const socket = connect(server.url, bearer(owner.accessToken));
    await withTimeout(socket.connected, 3000, 'connect');
    const events: unknown[] = [];
    socket.client.subscribe(
      { query: `subscription { budgetAlert { ${ALERT_FIELDS} } }` },
      { next: (event) => void events.push(event), error: () => undefined, complete: () => undefined },
    );
    await eventually('ledgerline_ws_sockets_open', {}, 1);
    await eventually('ledgerline_ws_subscriptions_active', {}, 1);

    await createTransaction(client, {
      accountId: account.id,
      type: 'EXPENSE',
      amount: '60.00',
      date: '2026-01-10',
    });
    await eventually('ledgerline_alerts_published_total', {}, published + 1);
    await eventually('ledgerline_alerts_delivered_total', {}, delivered + 1);
    const deadline = Date.now() + 3000;
    while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(events).toHaveLength(1);

    await socket.client.dispose();
    await eventually('ledgerline_ws_subscriptions_active', {}, 0);
    await eventually('ledgerline_ws_sockets_open', {}, 0);
  });

  it('count rate-limit rejections by limiter: WebSocket messages, failed logins', async () => {
    const wsBefore = await valueOf('ledgerline_rate_limit_rejections_total', { limiter: 'ws_messages' });
    const { socket, closed } = await rawSocket(server.url, user.accessToken);
    for (let i = 0; i < 20; i++) socket.send(JSON.stringify({ type: 'ping' }));
    expect(await withTimeout(closed, 5000, 'flood')).toBe(4429);
    expect(
      await valueOf('ledgerline_rate_limit_rejections_total', { limiter: 'ws_messages' }),
    ).toBeGreaterThan(wsBefore);

    // LOGIN_FAILS_PER_EMAIL_AND_IP=1: the second wrong password for one email is refused.
    const loginBefore = await valueOf('ledgerline_rate_limit_rejections_total', {
      limiter: 'login_email_ip',
    });
    const login = (password: string) =>
      server.client().errorCode(LOGIN, { input: { email: user.email, password } });
    expect(await login('wrong password 1')).not.toBe(RATE_LIMITED);
    expect(await login('wrong password 2')).toBe(RATE_LIMITED);
    expect(await valueOf('ledgerline_rate_limit_rejections_total', { limiter: 'login_email_ip' })).toBe(
      loginBefore + 1,
    );
    expect(await valueOf('ledgerline_rate_limit_rejections_total', { limiter: 'export_slots' })).toBe(0);
  });
});
