/**
 * Recurring transactions through the GraphQL API and the ticker, on the embedded database or
 * PostgreSQL (TEST_DATABASE_URL): CRUD and its validation, other users' ids as unknown ones,
 * materialization when due (month-end clamping, every N, until/count, catch-up after downtime
 * by moving the injected clock, bounded per tick), skipping and editing one occurrence, budgets
 * and alerts counting what is materialized, no ledger drift. Exactly once: recurring-once.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget } from './helpers/budgets.js';
import { BAD_USER_INPUT, NOT_FOUND } from './helpers/error-codes.js';
import {
  CREATE,
  DELETE,
  EDIT,
  GET,
  LIST,
  LONG_TTL,
  SKIP,
  TestClock,
  UPCOMING,
  UPDATE,
  noDrift,
  person,
  refused,
  schedule,
  tickAll,
  transactions,
  type Person,
} from './helpers/recurring.js';
import { UNKNOWN_ID } from './helpers/refusals.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const MAX_RECURRING = 6;

const clock = new TestClock('2031-01-15');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(
    { maxRecurring: MAX_RECURRING, recurringTickMs: 0, accessTokenTtl: LONG_TTL },
    { clock },
  );
});
afterAll(() => server?.close());

describe('recurring transactions: CRUD and validation', () => {
  let a: Person;
  let b: Person;
  beforeAll(async () => {
    clock.set('2031-01-15');
    [a, b] = await Promise.all([person(server), person(server)]);
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
    const c = await person(server);
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
    a = await person(server);
  });

  it('materializes what is due at once on create, then each occurrence when its day comes', async () => {
    const daily = await schedule(a, { startDate: '2031-01-13', description: 'Daily', amount: '1' });
    expect(daily.nextDate).toBe('2031-01-16');
    expect((await transactions(a, 'Daily')).map((t) => t.date)).toEqual([
      '2031-01-13',
      '2031-01-14',
      '2031-01-15',
    ]);
    await tickAll(server);
    expect(await transactions(a, 'Daily')).toHaveLength(3);
    clock.advance(2);
    await tickAll(server);
    expect((await transactions(a, 'Daily')).map((t) => t.date).slice(3)).toEqual([
      '2031-01-16',
      '2031-01-17',
    ]);
    expect((await a.client.data(GET, { id: daily.id })).recurringTransaction.nextDate).toBe('2031-01-18');
    await a.client.data(DELETE, { id: daily.id });
    clock.advance(5);
    await tickAll(server);
    // Deleting the schedule keeps its transactions and makes no more.
    expect(await transactions(a, 'Daily')).toHaveLength(5);
    await noDrift(server);
  });

  it('extending a schedule that ended long ago does not backdate more than a new one could', async () => {
    clock.set('2031-01-15');
    const p = await person(server);
    const ended = await schedule(p, {
      startDate: '2031-01-15',
      frequency: 'WEEKLY',
      count: 1,
      description: 'Once',
    });
    expect(await transactions(p, 'Once')).toHaveLength(1);
    clock.set('2033-01-15'); // two years on
    await p.client.data(UPDATE, { id: ended.id, input: { count: 10_000 } });
    await tickAll(server);
    const dates = (await transactions(p, 'Once')).map((t) => t.date);
    // The first, then the weekly ones from 366 days before today (2032-01-15: a leap year) on:
    // never the year between.
    expect(dates[0]).toBe('2031-01-15');
    expect(dates[1]).toBe('2032-01-21');
    expect(dates).toHaveLength(1 + 52);
    await noDrift(server);
  });

  it('tells transactionChanged subscribers of each materialized transaction, after its commit', async () => {
    clock.set('2031-01-15');
    const p = await person(server);
    const published: unknown[][] = [];
    const { pubSub } = server.app;
    const publish = pubSub.publish;
    const forward = publish.bind(pubSub) as (...args: unknown[]) => void;
    pubSub.publish = ((...args: unknown[]) => {
      if (args[1] === p.id) published.push(args);
      forward(...args);
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
    const p = await person(server);
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
    await tickAll(server);
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
    await noDrift(server);
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
    await tickAll(server);
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
    await noDrift(server);
  });

  it('counts a materialized expense in budgets, and an alert fires when it crosses a threshold', async () => {
    clock.set('2031-01-15');
    const p = await person(server);
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
    await tickAll(server);
    expect(await status()).toBe('60.00');
    expect((await p.client.data('{ budgetAlerts { threshold periodStart } }')).budgetAlerts).toEqual([
      { threshold: 50, periodStart: '2031-02-01' },
    ]);
  });

  it('an occurrence its account refuses (archived) is recorded and passed; the schedule goes on', async () => {
    clock.set('2031-01-15');
    const p = await person(server);
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
