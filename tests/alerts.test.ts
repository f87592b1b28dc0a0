/**
 * Budget alerts, through the API only: which writes fire which thresholds, moving and deleting
 * transactions, periods and rollover, refused writes. The alert model (tests/helpers/
 * alert-ledger.ts) derives which alerts must exist, with which figures; the server's must equal it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertKey, newLedger as ledgerOf } from './helpers/alert-ledger.js';
import { createBudget, createCategory, listAlerts } from './helpers/budgets.js';
import { BAD_USER_INPUT, NOT_FOUND } from './helpers/error-codes.js';
import { modelPeriod, percentOf, type Span } from './helpers/model/budget.js';
import { calendarMonth } from './helpers/model/calendar.js';
import { cents, money } from './helpers/model/money.js';
import {
  CREATE_TRANSACTION,
  UPDATE_ACCOUNT,
  UPDATE_BUDGET,
  UPDATE_CATEGORY,
  UPDATE_TRANSACTION,
} from './helpers/operations.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const newLedger = () => ledgerOf(server);

function unexpectedDate(date: string): never {
  throw new Error(`no period expected for ${date}`);
}

describe('budget alerts: firing', () => {
  it('fires each threshold once, when a write makes spending reach it, with that moment’s figures', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const budget = await ledger.budget({ amount: '100.00', alertThresholds: [50, 100] }, null);

    const steps: [amount: string, newThresholds: number[]][] = [
      ['30.00', []],
      ['25.00', [50]], // 55 >= 50
      ['10.00', []],
      ['50.00', [100]], // 115 >= 100
      ['20.00', []],
    ];
    let total = 0n;
    for (const [amount, newThresholds] of steps) {
      const before = new Set(ledger.expected.keys());
      await ledger.create({ amount, date: '2026-01-10', accountId: account });
      total += cents(amount);
      // The model and the hand-written expectation agree on what fires at this step.
      const fired = [...ledger.expected.values()].filter(
        (e) => !before.has(alertKey(e.budgetId, e.periodStart, e.threshold)),
      );
      expect(fired.map((e) => e.threshold)).toEqual(newThresholds);
      for (const alert of fired) expect(alert.spent).toBe(money(total));
      await ledger.expectAlerts();
    }
    const alerts = await ledger.expectAlerts();
    const byThreshold = Object.fromEntries(alerts.map((a) => [a.threshold, a]));
    expect(byThreshold[50]).toMatchObject({
      spent: '55.00',
      available: '100.00',
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
    });
    expect(byThreshold[50]!.percentUsed).toBeCloseTo(55, 9);
    expect(byThreshold[100]).toMatchObject({ spent: '115.00', available: '100.00' });
    expect(byThreshold[100]!.percentUsed).toBeCloseTo(115, 9);
    await ledger.expectSpent(budget, '2026-01-10');
  });

  it('fires at exactly threshold% (>=), not a cent before', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    await ledger.budget({ amount: '80.00', alertThresholds: [50] }, null);
    await ledger.create({ amount: '39.99', date: '2026-01-03', accountId: account });
    expect(await ledger.expectAlerts()).toHaveLength(0);
    await ledger.create({ amount: '0.01', date: '2026-01-04', accountId: account }); // 40.00 = 50% of 80
    const [alert] = await ledger.expectAlerts();
    expect(alert).toMatchObject({ threshold: 50, spent: '40.00', available: '80.00' });
  });

  it('one write crossing several thresholds fires each of them', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    await ledger.budget({ amount: '250.00', alertThresholds: [100, 25, 75, 50] }, null);
    await ledger.create({ amount: '200.00', date: '2026-01-20', accountId: account }); // 80%
    const alerts = await ledger.expectAlerts();
    expect(alerts.map((a) => a.threshold).sort((a, b) => a - b)).toEqual([25, 50, 75]);
  });

  it('counts a budget’s category and its descendants, and nothing else', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const food = await createCategory(ledger.client, { name: 'Food x' });
    const groceries = await createCategory(ledger.client, { name: 'Groceries x', parentId: food });
    const fruit = await createCategory(ledger.client, { name: 'Fruit x', parentId: groceries });
    const travel = await createCategory(ledger.client, { name: 'Travel x' });
    const foodBudget = await ledger.budget(
      { amount: '100.00', alertThresholds: [50], categoryId: food },
      new Set([food, groceries, fruit]),
    );
    const groceriesBudget = await ledger.budget(
      { amount: '40.00', alertThresholds: [50], categoryId: groceries },
      new Set([groceries, fruit]),
    );

    await ledger.create({ amount: '90.00', date: '2026-01-05', accountId: account, categoryId: travel });
    await ledger.create({ amount: '30.00', date: '2026-01-05', accountId: account }); // uncategorized
    expect(await ledger.expectAlerts()).toHaveLength(0);
    await ledger.create({ amount: '30.00', date: '2026-01-06', accountId: account, categoryId: food });
    expect(await ledger.expectAlerts()).toHaveLength(0); // food 30, groceries 0
    await ledger.create({ amount: '25.00', date: '2026-01-07', accountId: account, categoryId: fruit });
    // fruit counts for both: food 55 (>= 50), groceries 25 (>= 20)
    const alerts = await ledger.expectAlerts();
    expect(alerts.map((a) => a.budget.id).sort()).toEqual([foodBudget.id, groceriesBudget.id].sort());
    await ledger.expectSpent(foodBudget, '2026-01-31');
    await ledger.expectSpent(groceriesBudget, '2026-01-31');
  });

  it('income, transfers and expenses in another currency never fire', async () => {
    const ledger = await newLedger();
    const usd = await ledger.account('USD');
    const usd2 = await ledger.account('USD');
    const eur = await ledger.account('EUR');
    const salary = await createCategory(ledger.client, { name: 'Salary x', kind: 'INCOME' });
    const budget = await ledger.budget({ amount: '100.00', alertThresholds: [1, 100] }, null);

    await ledger.create({ type: 'INCOME', amount: '500.00', date: '2026-01-05', accountId: usd });
    await ledger.create({
      type: 'INCOME',
      amount: '500.00',
      date: '2026-01-05',
      accountId: usd,
      categoryId: salary,
    });
    await ledger.create({
      type: 'TRANSFER',
      amount: '500.00',
      date: '2026-01-05',
      accountId: usd,
      transferAccountId: usd2,
    });
    await ledger.create({ amount: '500.00', date: '2026-01-05', accountId: eur });
    const small = await ledger.create({ amount: '0.50', date: '2026-01-05', accountId: usd }); // 0.5%
    // An expense turned into income or a transfer lowers spending; nothing fires.
    await ledger.update(small, { type: 'INCOME' });
    await ledger.update(small, { type: 'EXPENSE', amount: '0.50' });
    await ledger.update(small, { type: 'TRANSFER', transferAccountId: usd2, amount: '900.00' });
    expect(await ledger.expectAlerts()).toHaveLength(0);
    await ledger.expectSpent(budget, '2026-01-05');
    expect(ledger.spent(budget, calendarMonth('2026-01-05'))).toBe(0n);
  });
});

describe('budget alerts: moving and deleting transactions', () => {
  it('moving a transaction into another period can fire there; the old period does not fire again', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const budget = await ledger.budget({ amount: '100.00', alertThresholds: [50, 100] }, null);

    const big = await ledger.create({ amount: '60.00', date: '2026-01-15', accountId: account });
    await ledger.create({ amount: '45.00', date: '2026-02-03', accountId: account });
    let alerts = await ledger.expectAlerts();
    expect(alerts.map((a) => [a.periodStart, a.threshold])).toEqual([['2026-01-01', 50]]);

    await ledger.update(big, { date: '2026-02-20' }); // Feb: 105 -> 50 and 100 fire there
    alerts = await ledger.expectAlerts();
    expect(
      alerts
        .filter((a) => a.periodStart === '2026-02-01')
        .map((a) => a.threshold)
        .sort((a, b) => a - b),
    ).toEqual([50, 100]);
    const feb = alerts.filter((a) => a.periodStart === '2026-02-01');
    for (const alert of feb) {
      expect(alert).toMatchObject({ spent: '105.00', periodEnd: '2026-02-28', available: '100.00' });
    }

    // Back to January (spent there again 60): its 50% alert already exists, so nothing new.
    await ledger.update(big, { date: '2026-01-16' });
    alerts = await ledger.expectAlerts();
    expect(alerts).toHaveLength(3);
    await ledger.expectSpent(budget, '2026-01-16');
    await ledger.expectSpent(budget, '2026-02-16');
  });

  it('moving into the budget’s category, to an expense, to a bigger amount or to a counted account fires', async () => {
    const ledger = await newLedger();
    const usd = await ledger.account('USD');
    const eur = await ledger.account('EUR');
    const rent = await createCategory(ledger.client, { name: 'Rent x' });
    const fun = await createCategory(ledger.client, { name: 'Fun x' });
    const gifts = await createCategory(ledger.client, { name: 'Gifts x', kind: 'INCOME' });
    await ledger.budget({ amount: '100.00', alertThresholds: [50], categoryId: rent }, new Set([rent]));
    await ledger.budget({ amount: '200.00', alertThresholds: [30, 60], categoryId: fun }, new Set([fun]));
    await ledger.budget({ amount: '1000.00', alertThresholds: [10] }, null);

    // Category: Fun -> Rent.
    const a = await ledger.create({ amount: '55.00', date: '2026-03-02', accountId: usd, categoryId: fun });
    expect(await ledger.expectAlerts()).toHaveLength(0);
    await ledger.update(a, { categoryId: rent });
    expect((await ledger.expectAlerts()).map((x) => x.threshold)).toEqual([50]);

    // Type: income -> expense (Fun 70 of 200 = 35%).
    const b = await ledger.create({
      type: 'INCOME',
      amount: '70.00',
      date: '2026-03-03',
      accountId: usd,
      categoryId: gifts,
    });
    await ledger.update(b, { type: 'EXPENSE', categoryId: fun });
    expect(await ledger.expectAlerts()).toHaveLength(3); // rent 50, fun 30, all-expenses 10 (125 of 1000)

    // Amount: 70 -> 125 (Fun 62.5%).
    await ledger.update(b, { amount: '125.00' });
    expect(await ledger.expectAlerts()).toHaveLength(4);

    // Account: an EUR expense does not count until it moves to a USD account.
    const c = await ledger.create({ amount: '500.00', date: '2026-04-01', accountId: eur });
    expect(await ledger.expectAlerts()).toHaveLength(4);
    await ledger.update(c, { accountId: usd });
    const alerts = await ledger.expectAlerts();
    expect(alerts).toHaveLength(5);
    expect(alerts.find((x) => x.periodStart === '2026-04-01')).toMatchObject({
      threshold: 10,
      spent: '500.00',
      available: '1000.00',
      periodEnd: '2026-04-30',
    });
  });

  it('deleting and re-adding in the same period does not repeat an alert; a new period alerts again', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    await ledger.budget({ amount: '100.00', alertThresholds: [50] }, null);

    const first = await ledger.create({ amount: '60.00', date: '2026-01-10', accountId: account });
    expect(await ledger.expectAlerts()).toHaveLength(1);
    await ledger.delete(first);
    const again = await ledger.create({ amount: '60.00', date: '2026-01-11', accountId: account });
    expect(await ledger.expectAlerts()).toHaveLength(1);
    // Dropping below by lowering the amount, then crossing again: still one.
    await ledger.update(again, { amount: '10.00' });
    await ledger.update(again, { amount: '70.00' });
    expect(await ledger.expectAlerts()).toHaveLength(1);

    await ledger.create({ amount: '51.00', date: '2026-02-01', accountId: account });
    const alerts = await ledger.expectAlerts();
    expect(alerts.map((a) => a.periodStart).sort()).toEqual(['2026-01-01', '2026-02-01']);
    expect(alerts.find((a) => a.periodStart === '2026-01-01')!.spent).toBe('60.00');
  });
});

describe('budget alerts: periods and rollover', () => {
  it('stores the period containing the expense: WEEKLY, MONTHLY from the 31st, YEARLY from 29 Feb', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const w = await createCategory(ledger.client, { name: 'W x' });
    const m = await createCategory(ledger.client, { name: 'M x' });
    const y = await createCategory(ledger.client, { name: 'Y x' });
    // 2026-01-07 is a Wednesday: weeks run Wednesday..Tuesday.
    await ledger.budget(
      { amount: '10.00', alertThresholds: [100], name: 'W', categoryId: w },
      new Set([w]),
      (d): Span => modelPeriod('WEEKLY', '2026-01-07', d),
      { period: 'WEEKLY', startDate: '2026-01-07' },
    );
    // From 31 Jan: 28 Feb .. 30 Mar, then 31 Mar .. 29 Apr (April has no 31st: next starts 30 Apr).
    await ledger.budget(
      { amount: '10000.00', alertThresholds: [1], name: 'M', categoryId: m },
      new Set([m]),
      (d) =>
        d >= '2026-03-31' && d <= '2026-04-29'
          ? { start: '2026-03-31', end: '2026-04-29' }
          : d >= '2026-02-28' && d <= '2026-03-30'
            ? { start: '2026-02-28', end: '2026-03-30' }
            : unexpectedDate(d),
      { period: 'MONTHLY', startDate: '2026-01-31' },
    );
    // From 29 Feb 2024: the 2025 period runs 28 Feb 2025 .. 27 Feb 2026.
    await ledger.budget(
      { amount: '1000000.00', alertThresholds: [1], name: 'Y', categoryId: y },
      new Set([y]),
      (d) =>
        d >= '2025-02-28' && d <= '2026-02-27'
          ? { start: '2025-02-28', end: '2026-02-27' }
          : unexpectedDate(d),
      { period: 'YEARLY', startDate: '2024-02-29' },
    );
    await ledger.create({ amount: '10.00', date: '2026-01-20', accountId: account, categoryId: w }); // a Tuesday
    await ledger.create({ amount: '100.00', date: '2026-03-15', accountId: account, categoryId: m });
    await ledger.create({ amount: '100.00', date: '2026-03-31', accountId: account, categoryId: m });
    await ledger.create({ amount: '10000.00', date: '2025-06-01', accountId: account, categoryId: y });

    const alerts = await ledger.expectAlerts();
    const periods = alerts.map((a) => `${a.budget.name} ${a.periodStart}..${a.periodEnd}`).sort();
    expect(periods).toEqual([
      'M 2026-02-28..2026-03-30',
      'M 2026-03-31..2026-04-29',
      'W 2026-01-14..2026-01-20',
      'Y 2025-02-28..2026-02-27',
    ]);
  });

  it('with rollover, available includes what the previous period left', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const created = await createBudget(ledger.client, {
      amount: '100.00',
      alertThresholds: [50],
      rollover: true,
    });
    await ledger.create({ amount: '30.00', date: '2026-01-09', accountId: account }); // 30%: none
    // February: available 100 + (100 - 30) = 170; 50% is 85.00.
    await ledger.create({ amount: '84.99', date: '2026-02-09', accountId: account });
    expect(await listAlerts(ledger.client)).toHaveLength(0);
    await ledger.create({ amount: '0.01', date: '2026-02-10', accountId: account });
    const alerts = await listAlerts(ledger.client);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      budget: { id: created.id },
      threshold: 50,
      periodStart: '2026-02-01',
      periodEnd: '2026-02-28',
      spent: '85.00',
      available: money(10000n + (10000n - 3000n)),
    });
    expect(alerts[0]!.percentUsed).toBeCloseTo(percentOf(8500n, 17000n), 9);
  });
});

describe('budget alerts: refused writes', () => {
  it('a refused create or update stores no alert, and the next valid write counts without it', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const archived = await ledger.account();
    const other = await registerUser(server.client());
    const otherCategory = await createCategory(server.client(other.accessToken), { name: 'Theirs' });
    const income = await createCategory(ledger.client, { name: 'Wages x', kind: 'INCOME' });
    const budget = await ledger.budget({ amount: '100.00', alertThresholds: [50] }, null);
    const existing = await ledger.create({ amount: '40.00', date: '2026-01-10', accountId: archived });
    await ledger.client.data(UPDATE_ACCOUNT, { id: archived, input: { archived: true } });

    const refusedCreates: [Record<string, unknown>, string][] = [
      [{ amount: '0', accountId: account }, BAD_USER_INPUT],
      [{ amount: '-60.00', accountId: account }, BAD_USER_INPUT],
      [{ amount: '60.001', accountId: account }, BAD_USER_INPUT],
      [{ amount: '60.00', accountId: archived }, BAD_USER_INPUT],
      [{ amount: '60.00', accountId: account, categoryId: income }, BAD_USER_INPUT],
      [{ amount: '60.00', accountId: account, categoryId: otherCategory }, NOT_FOUND],
    ];
    for (const [input, code] of refusedCreates) {
      const result = await ledger.client.request(CREATE_TRANSACTION, {
        input: { type: 'EXPENSE', date: '2026-01-11', ...input },
      });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
    // An existing expense on the archived account may change, but not move to another archived one
    // or become zero; an update with a bad category is refused whole.
    const movable = await ledger.create({ amount: '5.00', date: '2026-01-12', accountId: account });
    const refusedUpdates: [string, Record<string, unknown>, string][] = [
      [movable, { amount: '0', date: '2026-01-13' }, BAD_USER_INPUT],
      [movable, { amount: '60.00', accountId: archived }, BAD_USER_INPUT],
      [movable, { amount: '60.00', categoryId: income }, BAD_USER_INPUT],
      [existing, { amount: '90.00', categoryId: otherCategory }, NOT_FOUND],
    ];
    for (const [id, input, code] of refusedUpdates) {
      const result = await ledger.client.request(UPDATE_TRANSACTION, { id, input });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
    expect(await ledger.expectAlerts()).toHaveLength(0);
    await ledger.expectSpent(budget, '2026-01-31'); // 45.00: nothing refused counted

    await ledger.create({ amount: '5.00', date: '2026-01-14', accountId: account });
    const [alert] = await ledger.expectAlerts();
    expect(alert).toMatchObject({ threshold: 50, spent: '50.00' });
  });
});

describe('budget alerts: budgets and categories changed between writes', () => {
  // The server keeps a user's alerting budgets and category tree between writes, and a write
  // reads only their version (bumped by database triggers): each change below must count from
  // the next write, or its alert is missing.
  it('a budget created or changed, a category moved or added, counts from the next write', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const food = await createCategory(ledger.client, { name: 'Food y' });
    const snacks = await createCategory(ledger.client, { name: 'Snacks y' });
    const alertedPeriods = async () => (await listAlerts(ledger.client)).map((a) => a.periodStart).sort();
    const spend = (amount: string, date: string, categoryId: string) =>
      ledger.create({ amount, date, accountId: account, categoryId });

    await spend('1.00', '2026-01-05', food); // the server now keeps this user's budgets: none
    const budget = await createBudget(ledger.client, {
      amount: '100.00',
      alertThresholds: [50],
      categoryId: food,
    });
    await spend('60.00', '2026-02-05', food);
    expect(await alertedPeriods()).toEqual(['2026-02-01']);

    await spend('60.00', '2026-03-05', snacks); // not under Food yet
    expect(await alertedPeriods()).toEqual(['2026-02-01']);
    await ledger.client.data(UPDATE_CATEGORY, { id: snacks, input: { parentId: food } });
    await spend('1.00', '2026-03-06', snacks); // 61 of 100 under Food
    expect(await alertedPeriods()).toEqual(['2026-02-01', '2026-03-01']);

    await spend('6.00', '2026-04-05', food); // 6 % of 100
    await ledger.client.data(UPDATE_BUDGET, { id: budget.id, input: { amount: '10.00' } });
    await spend('0.01', '2026-04-06', food); // 60.1 % of 10
    expect(await alertedPeriods()).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);

    const chips = await createCategory(ledger.client, { name: 'Chips y', parentId: snacks });
    await spend('6.00', '2026-05-05', chips);
    expect(await alertedPeriods()).toEqual(['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01']);
  });
});
