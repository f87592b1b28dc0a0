/**
 * Recurring transactions through the GraphQL API and the ticker, on the embedded database or
 * PostgreSQL (TEST_DATABASE_URL): CRUD and its validation, other users' ids as unknown ones,
 * materialization when due (month-end clamping, every N, until/count, catch-up after downtime
 * by moving the injected clock, bounded per tick), skipping and editing one occurrence, budgets
 * and alerts counting what is materialized, concurrent ticks (three instances on PostgreSQL, two
 * in one process otherwise) and a restart writing each occurrence once, and no ledger drift.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import { materializeDue } from '../src/modules/recurring/materialize.js';
import { bootstrap, type RunningServer } from '../src/server.js';
import { createBudget } from './helpers/budgets.js';
import { BAD_USER_INPUT, INTERNAL_SERVER_ERROR, NOT_FOUND } from './helpers/error-codes.js';
import { GraphQLClient } from './helpers/graphql.js';
import { categoriesByName, createAccount } from './helpers/ledger.js';
import { UNKNOWN_ID } from './helpers/refusals.js';
import { freshDatabase, startTestServer, testConfig, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

const DAY = 86_400_000;
const MAX_RECURRING = 6;
/** Tokens outlive the days the clock is moved by. */
const LONG_TTL = 3 * 365 * 24 * 3600;

/** The servers' clock: starts on START and moves only when a test says so. */
class TestClock implements Clock {
  private time: number;
  constructor(date: string) {
    this.time = Date.parse(`${date}T12:00:00Z`);
  }
  now = (): number => this.time;
  today = (): string => new Date(this.time).toISOString().slice(0, 10);
  advance(days: number): void {
    this.time += days * DAY;
  }
  set(date: string): void {
    this.time = Date.parse(`${date}T12:00:00Z`);
  }
}

const SCHEDULE_FIELDS = `id frequency interval startDate dayOfMonth endDate count type amount description tags
  nextDate createdAt account { id name } transferAccount { id } category { id name }`;
const CREATE = `mutation ($input: CreateRecurringTransactionInput!) {
  createRecurringTransaction(input: $input) { ${SCHEDULE_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateRecurringTransactionInput!) {
  updateRecurringTransaction(id: $id, input: $input) { ${SCHEDULE_FIELDS} } }`;
const DELETE = 'mutation ($id: ID!) { deleteRecurringTransaction(id: $id) }';
const GET = `query ($id: ID!) { recurringTransaction(id: $id) { ${SCHEDULE_FIELDS} } }`;
const LIST = `{ recurringTransactions { ${SCHEDULE_FIELDS} } }`;
const OCCURRENCE_FIELDS =
  'schedule { id } scheduledDate date type amount description category { name } skipped edited';
const UPCOMING = `query ($days: Int!, $first: Int) { upcoming(days: $days, first: $first) { ${OCCURRENCE_FIELDS} } }`;
const SKIP = `mutation ($id: ID!, $date: Date!) { skipOccurrence(scheduleId: $id, date: $date) { ${OCCURRENCE_FIELDS} } }`;
const EDIT = `mutation ($id: ID!, $date: Date!, $input: OccurrenceEditInput!) {
  editOccurrence(scheduleId: $id, date: $date, input: $input) { ${OCCURRENCE_FIELDS} } }`;
const TRANSACTIONS = `query ($search: String) { transactions(first: 500, filter: { search: $search }, sort: { field: DATE, direction: ASC }) {
  nodes { id date amount type description tags category { name } account { id balance } } } }`;

const clock = new TestClock('2031-01-15');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    { maxRecurring: MAX_RECURRING, recurringTickMs: 0, accessTokenTtl: LONG_TTL },
    { clock },
  );
});
afterAll(() => server?.close());

interface Person {
  id: string;
  client: GraphQLClient;
  account: string;
  other: string;
  categories: Record<string, string>;
}

async function person(on: { client(token?: string): GraphQLClient } = server): Promise<Person> {
  const user = await registerUser(on.client());
  const client = on.client(user.accessToken);
  const account = (await createAccount(client, { name: 'Main', openingBalance: '1000' })).id;
  const other = (await createAccount(client, { name: 'Savings', openingBalance: '0' })).id;
  return { id: user.id, client, account, other, categories: await categoriesByName(client) };
}

async function schedule(p: Person, input: Record<string, unknown>): Promise<any> {
  const data = await p.client.data(CREATE, {
    input: { type: 'EXPENSE', amount: '10', accountId: p.account, frequency: 'DAILY', ...input },
  });
  return data.createRecurringTransaction;
}

async function transactions(p: Person, search?: string): Promise<any[]> {
  return (await p.client.data(TRANSACTIONS, { search })).transactions.nodes;
}

/** Ticks until nothing more is due (each tick is bounded). */
async function tickAll(on: RunningServer = server): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const result = await on.recurring.tick();
    if (result.materialized + result.passed + result.failed === 0) return;
  }
  throw new Error('ticks do not end');
}

async function refused(
  client: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<string> {
  const result = await client.request(query, variables);
  expect(JSON.stringify(result)).not.toContain(INTERNAL_SERVER_ERROR);
  expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field !== undefined)
    expect(result.errors?.[0]?.extensions?.field, JSON.stringify(result.errors)).toBe(field);
  return result.errors![0]!.message;
}

async function noDrift(on: RunningServer = server): Promise<void> {
  expect(await findBalanceDrift(on.app.orm.em.fork())).toEqual([]);
  expect(await findTotalsDrift(on.app.orm.em.fork())).toEqual([]);
}

describe('recurring transactions: CRUD and validation', () => {
  let a: Person;
  let b: Person;
  beforeAll(async () => {
    clock.set('2031-01-15');
    [a, b] = await Promise.all([person(), person()]);
  });

  it('creates, reads, lists, updates and deletes', async () => {
    const created = await schedule(a, {
      frequency: 'MONTHLY',
      startDate: '2031-02-10',
      dayOfMonth: 31,
      amount: '1200.5',
      categoryId: a.categories.Housing,
      description: ' Rent ',
      tags: [' home ', 'home'],
      count: 12,
    });
    expect(created).toMatchObject({
      frequency: 'MONTHLY',
      interval: 1,
      startDate: '2031-02-10',
      dayOfMonth: 31,
      endDate: null,
      count: 12,
      type: 'EXPENSE',
      amount: '1200.50',
      description: 'Rent',
      tags: ['home'],
      nextDate: '2031-02-28',
      account: { id: a.account, name: 'Main' },
      transferAccount: null,
      category: { name: 'Housing' },
    });
    expect((await a.client.data(GET, { id: created.id.toUpperCase() })).recurringTransaction.id).toBe(
      created.id,
    );
    expect((await a.client.data(LIST)).recurringTransactions.map((s: any) => s.id)).toContain(created.id);
    const updated = (
      await a.client.data(UPDATE, {
        id: created.id,
        input: { frequency: 'WEEKLY', interval: 2, categoryId: null, description: null, amount: '50' },
      })
    ).updateRecurringTransaction;
    expect(updated).toMatchObject({
      frequency: 'WEEKLY',
      interval: 2,
      dayOfMonth: null,
      category: null,
      description: null,
      amount: '50.00',
      nextDate: '2031-02-10',
    });
    expect((await a.client.data(DELETE, { id: created.id })).deleteRecurringTransaction).toBe(true);
    await refused(a.client, GET, { id: created.id }, NOT_FOUND);
  });

  it.each([
    ['interval 0', { interval: 0 }, 'interval'],
    ['a day of month of 32', { frequency: 'MONTHLY', dayOfMonth: 32 }, 'dayOfMonth'],
    ['a day of month on a weekly schedule', { frequency: 'WEEKLY', dayOfMonth: 3 }, 'dayOfMonth'],
    ['an endDate before startDate', { endDate: '2031-01-01' }, 'endDate'],
    ['count 0', { count: 0 }, 'count'],
    ['a start more than a year ago', { startDate: '2029-12-31' }, 'startDate'],
    ['amount 0', { amount: '0' }, 'amount'],
    ['a transfer without its other account', { type: 'TRANSFER' }, 'transferAccountId'],
    ['an income category on an expense', { categoryId: 'Salary' }, 'categoryId'],
    ['a description too long', { description: 'x'.repeat(501) }, 'description'],
  ])('refuses %s (BAD_USER_INPUT on the field), writing nothing', async (_name, input, field) => {
    const before = await a.client.data(LIST);
    const given = { startDate: '2031-01-20', ...input } as Record<string, unknown>;
    if (given.categoryId === 'Salary') given.categoryId = a.categories.Salary;
    await refused(
      a.client,
      CREATE,
      { input: { type: 'EXPENSE', amount: '10', accountId: a.account, frequency: 'DAILY', ...given } },
      BAD_USER_INPUT,
      field,
    );
    expect(await a.client.data(LIST)).toEqual(before);
  });

  it("answers NOT_FOUND for another user's schedule, account or category, as for an unknown id", async () => {
    const theirs = await schedule(b, { startDate: '2031-02-01', endDate: '2031-02-03' });
    for (const id of [theirs.id, UNKNOWN_ID, 'not-an-id']) {
      await refused(a.client, GET, { id }, NOT_FOUND);
      await refused(a.client, UPDATE, { id, input: { amount: '1' } }, NOT_FOUND);
      await refused(a.client, DELETE, { id }, NOT_FOUND);
      await refused(a.client, SKIP, { id, date: '2031-02-01' }, NOT_FOUND);
      await refused(a.client, EDIT, { id, date: '2031-02-01', input: { amount: '1' } }, NOT_FOUND);
    }
    const base = { type: 'EXPENSE', amount: '10', frequency: 'DAILY', startDate: '2031-02-01' };
    await refused(a.client, CREATE, { input: { ...base, accountId: b.account } }, NOT_FOUND);
    await refused(
      a.client,
      CREATE,
      { input: { ...base, accountId: a.account, categoryId: b.categories.Groceries } },
      NOT_FOUND,
    );
    expect((await b.client.data(GET, { id: theirs.id })).recurringTransaction.amount).toBe('10.00');
    expect((await a.client.data(UPCOMING, { days: 60 })).upcoming).toEqual([]);
  });

  it(`allows at most MAX_RECURRING (${MAX_RECURRING}) schedules per user`, async () => {
    const c = await person();
    for (let i = 0; i < MAX_RECURRING; i++) await schedule(c, { startDate: '2041-03-01' });
    const message = await refused(
      c.client,
      CREATE,
      {
        input: {
          type: 'EXPENSE',
          amount: '1',
          accountId: c.account,
          frequency: 'DAILY',
          startDate: '2031-03-01',
        },
      },
      BAD_USER_INPUT,
    );
    expect(message).toMatch(/at most 6 recurring transactions/);
  });

  it('caps upcoming at 366 days and 500 occurrences', async () => {
    await refused(a.client, UPCOMING, { days: 367 }, BAD_USER_INPUT, 'days');
    await refused(a.client, UPCOMING, { days: 10, first: 501 }, BAD_USER_INPUT, 'first');
  });
});

describe('recurring transactions: materialization', () => {
  let a: Person;
  beforeAll(async () => {
    clock.set('2031-01-15');
    a = await person();
  });

  it('materializes what is due at once on create, then each occurrence when its day comes', async () => {
    const daily = await schedule(a, { startDate: '2031-01-13', description: 'Daily', amount: '1' });
    expect(daily.nextDate).toBe('2031-01-16');
    expect((await transactions(a, 'Daily')).map((t) => t.date)).toEqual([
      '2031-01-13',
      '2031-01-14',
      '2031-01-15',
    ]);
    await tickAll();
    expect(await transactions(a, 'Daily')).toHaveLength(3);
    clock.advance(2);
    await tickAll();
    expect((await transactions(a, 'Daily')).map((t) => t.date).slice(3)).toEqual([
      '2031-01-16',
      '2031-01-17',
    ]);
    expect((await a.client.data(GET, { id: daily.id })).recurringTransaction.nextDate).toBe('2031-01-18');
    await a.client.data(DELETE, { id: daily.id });
    clock.advance(5);
    await tickAll();
    // Deleting the schedule keeps its transactions and makes no more.
    expect(await transactions(a, 'Daily')).toHaveLength(5);
    await noDrift();
  });

  it('tells transactionChanged subscribers of each materialized transaction, after its commit', async () => {
    clock.set('2031-01-15');
    const p = await person();
    const published: unknown[][] = [];
    const { pubSub } = server.app;
    const publish = pubSub.publish.bind(pubSub);
    pubSub.publish = ((...args: Parameters<typeof publish>) => {
      if (args[1] === p.id) published.push(args);
      return publish(...args);
    }) as typeof pubSub.publish;
    try {
      await schedule(p, { startDate: '2031-01-14', description: 'Told', amount: '3' });
    } finally {
      pubSub.publish = publish;
    }
    const made = await transactions(p, 'Told');
    expect(made).toHaveLength(2);
    expect(published).toEqual(
      made.map((t) => [
        'TRANSACTION_CHANGED',
        p.id,
        { kind: 'CREATED', transactionId: t.id, accountIds: [p.account] },
      ]),
    );
  });

  it("deleting a schedule's account (one without transactions) deletes the schedule", async () => {
    clock.set('2031-01-15');
    const p = await person();
    const later = await schedule(p, { accountId: p.other, startDate: '2031-02-01' });
    await p.client.data('mutation ($id: ID!) { deleteAccount(id: $id) }', { id: p.other });
    await refused(p.client, GET, { id: later.id }, NOT_FOUND);
  });

  it('clamps a monthly 31st to the end of February, every N months, until count', async () => {
    clock.set('2031-01-15');
    const monthly = await schedule(a, {
      frequency: 'MONTHLY',
      startDate: '2031-01-31',
      description: 'Month end',
    });
    const quarterly = await schedule(a, {
      frequency: 'MONTHLY',
      interval: 3,
      startDate: '2031-01-20',
      dayOfMonth: 31,
      count: 3,
      description: 'Quarterly',
    });
    const weekly = await schedule(a, {
      frequency: 'WEEKLY',
      startDate: '2031-01-16',
      endDate: '2031-02-06',
      description: 'Weekly',
    });
    clock.set('2032-03-01');
    await tickAll();
    expect((await transactions(a, 'Month end')).slice(0, 4).map((t) => t.date)).toEqual([
      '2031-01-31',
      '2031-02-28',
      '2031-03-31',
      '2031-04-30',
    ]);
    expect((await transactions(a, 'Month end')).at(-1).date).toBe('2032-02-29');
    expect((await transactions(a, 'Quarterly')).map((t) => t.date)).toEqual([
      '2031-01-31',
      '2031-04-30',
      '2031-07-31',
    ]);
    expect((await transactions(a, 'Weekly')).map((t) => t.date)).toEqual([
      '2031-01-16',
      '2031-01-23',
      '2031-01-30',
      '2031-02-06',
    ]);
    const after = async (id: string) => (await a.client.data(GET, { id })).recurringTransaction.nextDate;
    expect(await after(monthly.id)).toBe('2032-03-31');
    expect(await after(quarterly.id)).toBeNull();
    expect(await after(weekly.id)).toBeNull();
    for (const id of [monthly.id, quarterly.id, weekly.id]) await a.client.data(DELETE, { id });
    await noDrift();
  });

  it('catches up after downtime over several ticks, each bounded', async () => {
    const bounded = await startTestServer(
      { recurringTickMs: 0, recurringTickLimit: 120, accessTokenTtl: LONG_TTL },
      { clock },
    );
    try {
      clock.set('2031-01-15');
      const p = await person(bounded);
      const created = await p.client.data(CREATE, {
        input: {
          type: 'EXPENSE',
          amount: '0.5',
          accountId: p.account,
          frequency: 'DAILY',
          startDate: '2031-01-16',
        },
      });
      const late = await p.client.data(CREATE, {
        input: {
          type: 'INCOME',
          amount: '7',
          accountId: p.account,
          frequency: 'WEEKLY',
          startDate: '2031-01-16',
          description: 'Pocket money',
        },
      });
      expect(created.createRecurringTransaction.nextDate).toBe('2031-01-16');
      clock.set('2031-12-31'); // 350 daily occurrences and 50 weekly ones are due
      const first = await bounded.recurring.tick();
      expect(first.materialized).toBe(100); // 50 of each schedule: neither waits for the other
      expect(await transactions(p, 'Pocket money')).toHaveLength(50);
      await tickAll(bounded);
      const all = await transactions(p);
      expect(all).toHaveLength(350 + 50);
      expect(new Set(all.map((t) => `${t.type}/${t.date}`)).size).toBe(400);
      expect(
        (await p.client.data(GET, { id: late.createRecurringTransaction.id })).recurringTransaction.nextDate,
      ).toBe('2032-01-01');
      // 1000 - 350 × 0.50 + 50 × 7
      expect(all.at(-1).account.balance).toBe('1175.00');
      await noDrift(bounded);
    } finally {
      await bounded.close();
    }
  });

  it('skips one occurrence and edits another; a materialized one cannot be changed', async () => {
    clock.set('2031-01-15');
    const weekly = await schedule(a, {
      frequency: 'WEEKLY',
      startDate: '2031-01-20',
      description: 'Cleaner',
      amount: '40',
      categoryId: a.categories.Housing,
    });
    const skipped = (await a.client.data(SKIP, { id: weekly.id, date: '2031-01-27' })).skipOccurrence;
    expect(skipped).toMatchObject({ scheduledDate: '2031-01-27', skipped: true, edited: false });
    const edited = (
      await a.client.data(EDIT, {
        id: weekly.id,
        date: '2031-02-03',
        input: {
          amount: '55.5',
          description: 'Cleaner (windows)',
          categoryId: a.categories.Other,
          date: '2031-02-04',
        },
      })
    ).editOccurrence;
    expect(edited).toMatchObject({
      scheduledDate: '2031-02-03',
      date: '2031-02-04',
      amount: '55.50',
      description: 'Cleaner (windows)',
      category: { name: 'Other' },
      skipped: false,
      edited: true,
    });
    const upcoming = (await a.client.data(UPCOMING, { days: 30 })).upcoming.filter(
      (o: any) => o.schedule.id === weekly.id,
    );
    expect(upcoming.map((o: any) => [o.scheduledDate, o.date, o.amount, o.skipped, o.edited])).toEqual([
      ['2031-01-20', '2031-01-20', '40.00', false, false],
      ['2031-01-27', '2031-01-27', '40.00', true, false],
      ['2031-02-03', '2031-02-04', '55.50', false, true],
      ['2031-02-10', '2031-02-10', '40.00', false, false],
    ]);
    await refused(a.client, SKIP, { id: weekly.id, date: '2031-01-21' }, BAD_USER_INPUT, 'date');
    await refused(
      a.client,
      EDIT,
      { id: weekly.id, date: '2031-01-27', input: { amount: '1' } },
      BAD_USER_INPUT,
      'date',
    );
    await refused(
      a.client,
      EDIT,
      { id: weekly.id, date: '2031-02-10', input: { amount: '0' } },
      BAD_USER_INPUT,
      'amount',
    );
    clock.set('2031-02-10');
    await tickAll();
    const made = await transactions(a, 'Cleaner');
    expect(made.map((t) => [t.date, t.amount, t.description, t.category.name])).toEqual([
      ['2031-01-20', '40.00', 'Cleaner', 'Housing'],
      ['2031-02-04', '55.50', 'Cleaner (windows)', 'Other'],
      ['2031-02-10', '40.00', 'Cleaner', 'Housing'],
    ]);
    await refused(a.client, SKIP, { id: weekly.id, date: '2031-02-10' }, BAD_USER_INPUT, 'date');
    await refused(
      a.client,
      EDIT,
      { id: weekly.id, date: '2031-01-20', input: { amount: '1' } },
      BAD_USER_INPUT,
      'date',
    );
    await a.client.data(DELETE, { id: weekly.id });
    await noDrift();
  });

  it('counts a materialized expense in budgets, and an alert fires when it crosses a threshold', async () => {
    clock.set('2031-01-15');
    const p = await person();
    const budget = await createBudget(p.client, {
      categoryId: p.categories.Entertainment,
      amount: '100',
      period: 'MONTHLY',
      startDate: '2031-01-01',
      alertThresholds: [50],
    });
    await schedule(p, {
      frequency: 'MONTHLY',
      startDate: '2031-02-05',
      amount: '60',
      categoryId: p.categories.Entertainment,
      description: 'Streaming',
    });
    const status = async () =>
      (
        await p.client.data('query ($id: ID!) { budget(id: $id) { status(date: "2031-02-10") { spent } } }', {
          id: budget.id,
        })
      ).budget.status.spent;
    expect(await status()).toBe('0.00');
    expect((await p.client.data('{ budgetAlerts { threshold periodStart } }')).budgetAlerts).toEqual([]);
    clock.set('2031-02-05');
    await tickAll();
    expect(await status()).toBe('60.00');
    expect((await p.client.data('{ budgetAlerts { threshold periodStart } }')).budgetAlerts).toEqual([
      { threshold: 50, periodStart: '2031-02-01' },
    ]);
  });

  it('an occurrence its account refuses (archived) is recorded and passed; the schedule goes on', async () => {
    clock.set('2031-01-15');
    const p = await person();
    const daily = await schedule(p, { startDate: '2031-01-16', description: 'Refused' });
    await p.client.data('mutation ($id: ID!) { updateAccount(id: $id, input: { archived: true }) { id } }', {
      id: p.account,
    });
    clock.set('2031-01-17');
    const result = await server.recurring.tick();
    expect(result.failed).toBeGreaterThanOrEqual(2);
    expect(await transactions(p, 'Refused')).toEqual([]);
    expect((await p.client.data(GET, { id: daily.id })).recurringTransaction.nextDate).toBe('2031-01-18');
  });
});

describe('recurring transactions: exactly once', () => {
  it('concurrent ticks write each occurrence once (two in one process)', async () => {
    clock.set('2031-01-15');
    const p = await person();
    await schedule(p, { startDate: '2031-01-16', description: 'Concurrent', amount: '2' });
    await schedule(p, {
      frequency: 'WEEKLY',
      startDate: '2031-01-16',
      description: 'Concurrent weekly',
      amount: '3',
    });
    clock.set('2031-03-16'); // 60 daily and 9 weekly occurrences
    const deps = server.app;
    const results = await Promise.all([
      materializeDue(deps, { limit: 500 }),
      materializeDue(deps, { limit: 500 }),
      server.recurring.tick(),
    ]);
    await tickAll();
    const made = await transactions(p, 'Concurrent');
    expect(made).toHaveLength(69);
    expect(new Set(made.map((t) => `${t.description}/${t.date}`)).size).toBe(69);
    expect(results.some((r) => r.materialized > 0)).toBe(true);
    await noDrift();
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'three instances on one PostgreSQL, ticking at once, materialize each occurrence once',
    async () => {
      const database = await freshDatabase();
      const config = testConfig({
        jwtSecret: 'three-instances-share-this-secret-0123456789',
        databaseUrl: database.databaseUrl,
        dataDir: database.dataDir,
        accessTokenTtl: LONG_TTL,
        recurringTickMs: 5,
      });
      const shared = new TestClock('2031-01-15');
      const servers: RunningServer[] = [];
      try {
        for (let i = 0; i < 3; i++) servers.push(await bootstrap({ config, clock: shared }));
        const p = await person({ client: (token) => new GraphQLClient(servers[0]!.url, token) });
        const create = (input: Record<string, unknown>) =>
          p.client.data(CREATE, { input: { type: 'EXPENSE', accountId: p.account, ...input } });
        await create({
          frequency: 'DAILY',
          startDate: '2031-01-16',
          amount: '1',
          description: 'Replica daily',
        });
        await create({
          frequency: 'MONTHLY',
          startDate: '2031-01-31',
          amount: '5',
          description: 'Replica monthly',
        });
        shared.set('2031-12-31'); // 350 + 12 occurrences, the instances ticking every 5 ms
        const made = async () => (await transactions(p, 'Replica')).length;
        for (let i = 0; i < 600 && (await made()) < 362; i++) await new Promise((r) => setTimeout(r, 50));
        // And all of them ticking by hand at once, a few more times.
        for (let round = 0; round < 3; round++) await Promise.all(servers.map((s) => s.recurring.tick()));
        const all = await transactions(p, 'Replica');
        expect(all).toHaveLength(362);
        expect(new Set(all.map((t) => `${t.description}/${t.date}`)).size).toBe(362);
        // 1000 - 350 × 1 - 12 × 5
        expect(all.at(-1).account.balance).toBe('590.00');
        await noDrift(servers[0]);
      } finally {
        for (const running of servers) await running.close();
        await database.drop();
      }
    },
    120_000,
  );

  it('a restart neither repeats nor loses occurrences: the first tick catches up', async () => {
    const database = await freshDatabase();
    const config = testConfig({
      jwtSecret: 'restarts-keep-this-secret-0123456789abcdef',
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
      accessTokenTtl: LONG_TTL,
      recurringTickMs: 3_600_000, // only the tick at start runs during the test
    });
    const shared = new TestClock('2031-01-15');
    let running: RunningServer | undefined = await bootstrap({ config, clock: shared });
    try {
      const first = running;
      const p = await person({ client: (token) => new GraphQLClient(first.url, token) });
      await p.client.data(CREATE, {
        input: {
          type: 'EXPENSE',
          amount: '1',
          accountId: p.account,
          frequency: 'DAILY',
          startDate: '2031-01-10',
        },
      });
      shared.set('2031-01-20');
      await running.recurring.tick();
      await running.close();
      running = undefined;
      shared.set('2031-01-25');
      running = await bootstrap({ config, clock: shared });
      await running.recurring.tick(); // the one started at start, or a second finding nothing
      const again = new GraphQLClient(running.url, p.client.token);
      const dates = (await again.data(TRANSACTIONS, {})).transactions.nodes.map((t: any) => t.date);
      expect(dates).toHaveLength(16);
      expect(new Set(dates).size).toBe(16);
      expect(dates.at(-1)).toBe('2031-01-25');
      await noDrift(running);
    } finally {
      await running?.close();
      await database.drop();
    }
  }, 60_000);
});
