import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './helpers/timing.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { rawSocket, repliesFor } from './helpers/sockets.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';

/**
 * What an operation may cost is decided before it runs, with its variables, the same over HTTP
 * and WebSocket: cost bombs through `first: $n` and unbounded lists are refused at once, and a
 * flood of oversized documents over a socket is refused by the parser.
 */

const MAX_BUDGETS = 200;
/** Enough for each test's own messages on one socket, few enough to flood quickly. */
const MESSAGES_PER_MINUTE = 30;

let server: TestServer;
let user: RegisteredUser;
beforeAll(async () => {
  server = await startTestServer({ maxBudgets: MAX_BUDGETS, wsMessagesPerMinute: MESSAGES_PER_MINUTE });
  user = await registerUser(server.client());
  // The worst case for unbounded lists: a user with as many budgets as allowed.
  await server.app.orm.em.fork().execute(
    `insert into budgets (id, user_id, name, amount, period, start_date, rollover, alert_thresholds)
     select gen_random_uuid(), ?, 'Budget ' || n, 100, 'MONTHLY', '2021-01-01', true, '{80,100}'
     from generate_series(1, ?) as n`,
    [user.id, MAX_BUDGETS],
  );
});
afterAll(() => server?.close());

const aliases = (count: number, field: string) =>
  Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join('\n');

/** The three documents of the security review, each of which ran for seconds before. */
const BOMBS: [string, string, Record<string, unknown>][] = [
  [
    '15 aliases of transactions(first: $n), n = 500',
    `query ($n: Int!) { ${aliases(15, 'transactions(first: $n) { nodes { id amount date description account { name currency } category { name } } }')} }`,
    { n: 500 },
  ],
  [
    '15 aliases of budgetAlerts(first: $n) with 36 periods of history each',
    `query ($n: Int!) { ${aliases(15, 'budgetAlerts(first: $n) { budget { history(periods: 36) { spent } } }')} }`,
    { n: 500 },
  ],
  [
    '15 aliases of budgets with 36 periods of history and status, for a user with 200 budgets',
    `{ ${aliases(15, 'budgets { history(periods: 36) { spent remaining } status { spent } }')} }`,
    {},
  ],
];

/** The heaviest pages a client legitimately asks for. */
const LEGITIMATE: [string, string][] = [
  [
    'a full page of 500 transactions with relations',
    `{ transactions(first: 500) { totalCount pageInfo { hasNextPage endCursor startCursor hasPreviousPage }
       edges { cursor node { id type amount date description tags createdAt
         account { id name currency balance } transferAccount { id name } category { id name parent { name } } } } } }`,
  ],
  [
    'the dashboard page, with every budget',
    `{ accounts { id name currency balance }
       dashboard { currency totalBalance incomeThisMonth expensesThisMonth
         recentTransactions(first: 8) { id date description type amount account { name } category { name } }
         budgets { budget { id name } status { spent available percentUsed overBudget } } }
       spendingByCategory(from: "2026-11-01", to: "2026-11-30") { category { name color } total }
       cashflow(from: "2025-12-01", to: "2026-11-30", interval: MONTH) { periodStart income expenses } }`,
  ],
  [
    'every budget with a year of history',
    '{ budgets { name history(periods: 12) { periodStart spent remaining } } }',
  ],
];

describe('the cost limit, over HTTP', () => {
  it.each(BOMBS)('refuses %s before running it', async (_name, query, variables) => {
    const started = performance.now();
    const result = await server.client(user.accessToken).request(query, variables);
    const ms = performance.now() - started;
    expect(result.status).toBe(400);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/^The operation costs \d+, more than the limit of \d+/);
    console.info(`[operation-limits] ${result.errors?.[0]?.message.split(':')[0]} (${ms.toFixed(0)} ms)`);
    expect(ms).toBeLessThan(5000); // generous; before: 13 to 64 s, now refused without running anything
  });

  it.each(LEGITIMATE)('runs %s', async (_name, query) => {
    const result = await server.client(user.accessToken).request(query);
    expect(result.errors).toBeUndefined();
  });

  it('counts first from a variable exactly as written inline', async () => {
    const one =
      'transactions(first: $n) { nodes { id amount date description account { name currency } category { name } } }';
    const inline = await server
      .client(user.accessToken)
      .request(`{ ${aliases(15, one.replace('$n', '500'))} }`);
    const viaVariable = await server
      .client(user.accessToken)
      .request(`query ($n: Int!) { ${aliases(15, one)} }`, {
        n: 500,
      });
    expect(viaVariable.errors?.[0]?.message).toBe(inline.errors?.[0]?.message);
  });

  it('refuses a subscription sent over HTTP with 400, pointing at the WebSocket', async () => {
    const result = await server.client(user.accessToken).request('subscription { budgetAlert { id } }');
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(result.errors?.[0]?.message).toMatch(/WebSocket/);
  });
});

describe('the same limits over WebSocket', () => {
  it('refuses 20 oversized documents at the parser while another user is served quickly', async () => {
    const { socket, replies } = await rawSocket(server.url, user.accessToken);
    const other = await registerUser(server.client());
    // About 60 KB of repeated fields: graphql-js would spend close to a second validating each.
    const huge = `{ me { ${'id '.repeat(20_000)} } }`;
    const ids = Array.from({ length: 20 }, (_, i) => `big-${i}`);
    for (const id of ids) socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: huge } }));
    const started = performance.now();
    const me = await server.client(other.accessToken).data('{ me { id } }');
    const meMs = performance.now() - started;
    await repliesFor(replies, ids);
    socket.close();

    expect(me.me.id).toBe(other.id);
    for (const id of ids) {
      const reply = replies.find((r) => r.id === id) as {
        type: string;
        payload: { extensions?: { code?: string } }[];
      };
      expect(reply.type).toBe('error');
      expect(reply.payload[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    }
    console.info(`[operation-limits] { me } while 20 oversized documents arrived: ${meMs.toFixed(0)} ms`);
    expect(meMs).toBeLessThan(3000); // generous; before, 20 such documents stalled everyone for 7 s or more
  });

  it('applies the cost limit and validation codes like HTTP', async () => {
    const { socket, replies } = await rawSocket(server.url, user.accessToken);
    const [, bomb, variables] = BOMBS[0]!;
    socket.send(JSON.stringify({ id: 'bomb', type: 'subscribe', payload: { query: bomb, variables } }));
    socket.send(JSON.stringify({ id: 'unknown', type: 'subscribe', payload: { query: '{ nope }' } }));
    socket.send(JSON.stringify({ id: 'ok', type: 'subscribe', payload: { query: '{ me { id } }' } }));
    await repliesFor(replies, ['bomb', 'unknown', 'ok']);
    socket.close();
    const codeOf = (id: string) =>
      (
        replies.find((r) => r.id === id && r.type === 'error') as {
          payload: { extensions: { code: string } }[];
        }
      )?.payload[0]?.extensions.code;
    expect(codeOf('bomb')).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf('unknown')).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(replies.find((r) => r.id === 'ok' && r.type === 'next')).toMatchObject({
      payload: { data: { me: { id: user.id } } },
    });
  });

  it('closes a socket that sends more than WS_MESSAGES_PER_MINUTE messages with 4429', async () => {
    const { socket, closed } = await rawSocket(server.url, user.accessToken);
    for (let i = 0; i < MESSAGES_PER_MINUTE + 10; i++) socket.send(JSON.stringify({ type: 'ping' }));
    expect(await withTimeout(closed, 5000, 'flood')).toBe(4429);
  });
});
