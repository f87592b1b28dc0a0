import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  calendarMonth,
  createBudget,
  createCategory,
  listAlerts,
  percentOf,
  type AlertView,
} from './helpers/budgets.js';
import type { GraphQLClient } from './helpers/graphql.js';
import { createAccount, TRANSACTION_FIELDS } from './helpers/ledger.js';
import { cents, money } from './helpers/ledger-check.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';
import { scaled, timeoutFor } from './helpers/scale.js';

/**
 * Budget alerts, through the API only. A small model in the test keeps the user's transactions
 * and budgets, recomputes every budget's spending in BigInt cents after each write and derives
 * which alerts must exist, with which figures; the server's stored alerts must equal it.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const CREATE = `mutation ($input: CreateTransactionInput!) { createTransaction(input: $input) { ${TRANSACTION_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTransactionInput!) {
  updateTransaction(id: $id, input: $input) { ${TRANSACTION_FIELDS} }
}`;
const DELETE = 'mutation ($id: ID!) { deleteTransaction(id: $id) }';
const MARK_READ = `mutation ($id: ID!) { markBudgetAlertRead(id: $id) { id read threshold } }`;

type TxType = 'INCOME' | 'EXPENSE' | 'TRANSFER';

interface ModelTx {
  type: TxType;
  amount: bigint;
  date: string;
  accountId: string;
  categoryId: string | null;
}

interface Period {
  start: string;
  end: string;
}

interface ModelBudget {
  id: string;
  name: string;
  /** The categories counted (the budget's and its descendants'); null: every expense. */
  scope: Set<string> | null;
  amount: bigint;
  thresholds: number[];
  period(date: string): Period;
}

interface ExpectedAlert {
  budgetId: string;
  budgetName: string;
  threshold: number;
  periodStart: string;
  periodEnd: string;
  spent: string;
  available: string;
  percentUsed: number;
}

const alertKey = (budgetId: string, periodStart: string, threshold: number) =>
  `${budgetId}|${periodStart}|${threshold}`;

/** One user's data as the test sees it, and the alerts that must exist. */
class Ledger {
  readonly txs = new Map<string, ModelTx>();
  readonly budgets: ModelBudget[] = [];
  readonly expected = new Map<string, ExpectedAlert>();
  /** account id -> currency; only accounts in the user's currency count. */
  readonly accounts = new Map<string, string>();

  constructor(
    readonly client: GraphQLClient,
    readonly userCurrency = 'USD',
  ) {}

  async account(currency = 'USD', openingBalance = '100000.00'): Promise<string> {
    const account = await createAccount(this.client, { name: `Acc ${currency}`, currency, openingBalance });
    this.accounts.set(account.id, currency);
    return account.id;
  }

  async budget(
    input: { amount: string; alertThresholds: number[]; categoryId?: string; name?: string },
    scope: Set<string> | null,
    period: (date: string) => Period = calendarMonth,
    extra: Record<string, unknown> = {},
  ): Promise<ModelBudget> {
    const created = await createBudget(this.client, { ...input, ...extra });
    expect(new Set(created.alertThresholds)).toEqual(new Set(input.alertThresholds));
    const budget: ModelBudget = {
      id: created.id,
      name: created.name,
      scope,
      amount: cents(input.amount),
      thresholds: input.alertThresholds,
      period,
    };
    this.budgets.push(budget);
    return budget;
  }

  async create(input: {
    type?: TxType;
    amount: string;
    date: string;
    accountId: string;
    categoryId?: string;
    transferAccountId?: string;
  }): Promise<string> {
    const data = await this.client.data(CREATE, { input: { type: 'EXPENSE', ...input } });
    const id: string = data.createTransaction.id;
    this.apply(id, {
      type: input.type ?? 'EXPENSE',
      amount: cents(input.amount),
      date: input.date,
      accountId: input.accountId,
      categoryId: input.categoryId ?? null,
    });
    return id;
  }

  async update(
    id: string,
    input: Partial<{ type: TxType; amount: string; date: string; accountId: string; categoryId: string }> & {
      transferAccountId?: string;
    },
  ): Promise<void> {
    await this.client.data(UPDATE, { id, input });
    const before = this.txs.get(id)!;
    const type = input.type ?? before.type;
    this.apply(id, {
      type,
      amount: input.amount === undefined ? before.amount : cents(input.amount),
      date: input.date ?? before.date,
      accountId: input.accountId ?? before.accountId,
      categoryId: type === 'TRANSFER' ? null : (input.categoryId ?? before.categoryId),
    });
  }

  async delete(id: string): Promise<void> {
    const data = await this.client.data(DELETE, { id });
    expect(data.deleteTransaction).toBe(true);
    this.apply(id, null);
  }

  private inScope(budget: ModelBudget, tx: ModelTx): boolean {
    return budget.scope === null || (tx.categoryId !== null && budget.scope.has(tx.categoryId));
  }

  /** Counted spending of a budget in a period, from the model's transactions. */
  spent(budget: ModelBudget, period: Period): bigint {
    let total = 0n;
    for (const tx of this.txs.values()) {
      if (tx.type !== 'EXPENSE' || !this.inScope(budget, tx)) continue;
      if (this.accounts.get(tx.accountId) !== this.userCurrency) continue;
      if (tx.date >= period.start && tx.date <= period.end) total += tx.amount;
    }
    return total;
  }

  /**
   * The rule: a write that changes what a budget has spent evaluates that budget for the
   * periods of the expense before and after the write; each threshold reached fires once per
   * (budget, period).
   */
  private apply(id: string, after: ModelTx | null): void {
    const before = this.txs.get(id) ?? null;
    if (after) this.txs.set(id, after);
    else this.txs.delete(id);
    const changed = [before, after].filter((tx): tx is ModelTx => tx?.type === 'EXPENSE');
    for (const budget of this.budgets) {
      const periods = new Map<string, Period>();
      for (const tx of changed) {
        if (!this.inScope(budget, tx)) continue;
        const period = budget.period(tx.date);
        periods.set(period.start, period);
      }
      for (const period of periods.values()) {
        const spent = this.spent(budget, period);
        for (const threshold of budget.thresholds) {
          const key = alertKey(budget.id, period.start, threshold);
          if (this.expected.has(key) || spent * 100n < BigInt(threshold) * budget.amount) continue;
          this.expected.set(key, {
            budgetId: budget.id,
            budgetName: budget.name,
            threshold,
            periodStart: period.start,
            periodEnd: period.end,
            spent: money(spent),
            available: money(budget.amount),
            percentUsed: percentOf(spent, budget.amount),
          });
        }
      }
    }
  }

  /** The stored alerts equal the model's: same set, one per key, same figures. */
  async expectAlerts(): Promise<AlertView[]> {
    const alerts = await listAlerts(this.client);
    const keys = alerts.map((a) => alertKey(a.budget.id, a.periodStart, a.threshold));
    expect(new Set(keys).size, `duplicate alerts: ${keys.join(', ')}`).toBe(keys.length);
    expect(normalise(alerts)).toEqual(
      normalise(
        [...this.expected.values()].map((e) => ({
          ...e,
          budget: { id: e.budgetId, name: e.budgetName },
        })),
      ),
    );
    for (const alert of alerts) {
      expect(alert.read).toBe(false);
      expect(Number.isNaN(Date.parse(alert.createdAt))).toBe(false);
    }
    return alerts;
  }

  /** Budget.status(date).spent equals the model's spending. */
  async expectSpent(budget: ModelBudget, date: string): Promise<void> {
    const data = await this.client.data(
      `query ($id: ID!, $date: Date) { budget(id: $id) { status(date: $date) { periodStart periodEnd spent } } }`,
      { id: budget.id, date },
    );
    const period = budget.period(date);
    expect(data.budget.status).toEqual({
      periodStart: period.start,
      periodEnd: period.end,
      spent: money(this.spent(budget, period)),
    });
  }
}

/** Order-free comparable form; percentUsed rounded so float noise cannot matter. */
function normalise(
  alerts: {
    budget: { id: string; name: string };
    threshold: number;
    periodStart: string;
    periodEnd: string;
    spent: string;
    available: string;
    percentUsed: number;
  }[],
) {
  return Object.fromEntries(
    alerts
      .map((a) => [
        alertKey(a.budget.id, a.periodStart, a.threshold),
        {
          budget: a.budget,
          threshold: a.threshold,
          periodStart: a.periodStart,
          periodEnd: a.periodEnd,
          spent: a.spent,
          available: a.available,
          percentUsed: Math.round(a.percentUsed * 1e6) / 1e6,
        },
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
}

async function newLedger(): Promise<Ledger> {
  const user = await registerUser(server.client());
  return new Ledger(server.client(user.accessToken));
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
      (d) => weekContaining('2026-01-07', d),
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
    await ledger.client.data(
      `mutation ($id: ID!) { updateAccount(id: $id, input: { archived: true }) { id archived } }`,
      { id: archived },
    );

    const refusedCreates: [Record<string, unknown>, string][] = [
      [{ amount: '0', accountId: account }, 'BAD_USER_INPUT'],
      [{ amount: '-60.00', accountId: account }, 'BAD_USER_INPUT'],
      [{ amount: '60.001', accountId: account }, 'BAD_USER_INPUT'],
      [{ amount: '60.00', accountId: archived }, 'BAD_USER_INPUT'],
      [{ amount: '60.00', accountId: account, categoryId: income }, 'BAD_USER_INPUT'],
      [{ amount: '60.00', accountId: account, categoryId: otherCategory }, 'NOT_FOUND'],
    ];
    for (const [input, code] of refusedCreates) {
      const result = await ledger.client.request(CREATE, {
        input: { type: 'EXPENSE', date: '2026-01-11', ...input },
      });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
    // An existing expense on the archived account may change, but not move to another archived one
    // or become zero; an update with a bad category is refused whole.
    const movable = await ledger.create({ amount: '5.00', date: '2026-01-12', accountId: account });
    const refusedUpdates: [string, Record<string, unknown>, string][] = [
      [movable, { amount: '0', date: '2026-01-13' }, 'BAD_USER_INPUT'],
      [movable, { amount: '60.00', accountId: archived }, 'BAD_USER_INPUT'],
      [movable, { amount: '60.00', categoryId: income }, 'BAD_USER_INPUT'],
      [existing, { amount: '90.00', categoryId: otherCategory }, 'NOT_FOUND'],
    ];
    for (const [id, input, code] of refusedUpdates) {
      const result = await ledger.client.request(UPDATE, { id, input });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe(code);
    }
    expect(await ledger.expectAlerts()).toHaveLength(0);
    await ledger.expectSpent(budget, '2026-01-31'); // 45.00: nothing refused counted

    await ledger.create({ amount: '5.00', date: '2026-01-14', accountId: account });
    const [alert] = await ledger.expectAlerts();
    expect(alert).toMatchObject({ threshold: 50, spent: '50.00' });
  });
});

describe('budget alerts: concurrency', () => {
  const ROUNDS = Number(process.env.ALERT_CONCURRENCY_ROUNDS ?? scaled(5));
  const WRITES = 20;

  it(
    `${WRITES} expenses fired at once cross each threshold exactly once (${ROUNDS} rounds)`,
    async () => {
      const timings: number[] = [];
      const orderViolations: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const ledger = await newLedger();
        // One account per write: the writes share no account row lock, only the budgets.
        const accounts: string[] = [];
        for (let i = 0; i < WRITES; i++) accounts.push(await ledger.account('USD', '500.00'));
        const category = await createCategory(ledger.client, { name: `Round ${round}` });
        const all = await ledger.budget({ amount: '100.00', alertThresholds: [50, 100] }, null);
        const scoped = await ledger.budget(
          { amount: '150.00', alertThresholds: [30, 60, 80], categoryId: category },
          new Set([category]),
        );
        const amount = 600n; // 6.00 each, 120.00 in all
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: WRITES }, (_, i) =>
            ledger.client.request(CREATE, {
              input: {
                type: 'EXPENSE',
                amount: money(amount),
                date: `2026-05-${String(1 + i).padStart(2, '0')}`,
                accountId: accounts[i],
                categoryId: category,
              },
            }),
          ),
        );
        timings.push(performance.now() - started);
        for (const result of results) expect(result.errors).toBeUndefined();

        const alerts = await listAlerts(ledger.client);
        // Writes are serialised per budget, so the k-th evaluation sees k expenses: each threshold
        // fires on the first k with k * 6.00 >= threshold% of available, with that spending.
        const crossing = (budget: ModelBudget, threshold: number) => {
          let k = 1n;
          while (k * amount * 100n < BigInt(threshold) * budget.amount) k++;
          return k;
        };
        const expected = [all, scoped].flatMap((budget) =>
          budget.thresholds.map((threshold) => ({
            key: alertKey(budget.id, '2026-05-01', threshold),
            spent: money(crossing(budget, threshold) * amount),
            available: money(budget.amount),
            periodEnd: '2026-05-31',
          })),
        );
        expect(
          alerts
            .map((a) => ({
              key: alertKey(a.budget.id, a.periodStart, a.threshold),
              spent: a.spent,
              available: a.available,
              periodEnd: a.periodEnd,
            }))
            .sort((a, b) => a.key.localeCompare(b.key)),
          `round ${round}`,
        ).toEqual(expected.sort((a, b) => a.key.localeCompare(b.key)));

        // Newest first: an alert fired by a later evaluation (it saw more spent) is listed before.
        // Collected over all rounds, so every round's set is checked before this fails.
        const spentOrder = alerts.map((a) => cents(a.spent));
        if (spentOrder.some((spent, i) => i > 0 && spentOrder[i - 1]! < spent)) {
          orderViolations.push(
            `round ${round}: ${alerts.map((a) => `${a.threshold}%@${a.spent} createdAt ${a.createdAt}`).join(', ')}`,
          );
        }

        const data = await ledger.client.data(
          `query ($a: ID!, $s: ID!) {
           a: budget(id: $a) { status(date: "2026-05-15") { spent } }
           s: budget(id: $s) { status(date: "2026-05-15") { spent } }
           accounts { id balance }
         }`,
          { a: all.id, s: scoped.id },
        );
        expect(data.a.status.spent).toBe(money(amount * BigInt(WRITES)));
        expect(data.s.status.spent).toBe(money(amount * BigInt(WRITES)));
        for (const id of accounts) {
          expect(data.accounts.find((a: { id: string }) => a.id === id)?.balance).toBe(
            money(50000n - amount),
          );
        }
      }
      console.info(
        `[alerts] ${ROUNDS} rounds of ${WRITES} concurrent expenses (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}): ` +
          timings.map((t) => `${t.toFixed(0)} ms`).join(', '),
      );
      expect(orderViolations, 'budgetAlerts must list newest first').toEqual([]);
    },
    timeoutFor(ROUNDS, 20_000),
  );
});

describe('budgetAlerts and markBudgetAlertRead', () => {
  async function fireInOrder(ledger: Ledger, count: number): Promise<string[]> {
    const account = await ledger.account();
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const category = await createCategory(ledger.client, { name: `Order ${i}` });
      const budget = await ledger.budget(
        { amount: '10.00', alertThresholds: [100], categoryId: category, name: `B${i}` },
        new Set([category]),
      );
      await ledger.create({ amount: '10.00', date: '2026-01-05', accountId: account, categoryId: category });
      const found = (await listAlerts(ledger.client)).find((a) => a.budget.id === budget.id);
      expect(found).toBeDefined();
      ids.push(found!.id);
    }
    return ids;
  }

  it('lists newest first, bounded by first, and unreadOnly leaves read alerts out', async () => {
    const ledger = await newLedger();
    const fired = await fireInOrder(ledger, 5); // oldest first
    const newestFirst = [...fired].reverse();

    const all = await listAlerts(ledger.client, { first: 500 });
    expect(all.map((a) => a.id)).toEqual(newestFirst);
    for (let i = 1; i < all.length; i++) {
      expect(Date.parse(all[i - 1]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(all[i]!.createdAt));
    }
    expect((await listAlerts(ledger.client, { first: 2 })).map((a) => a.id)).toEqual(newestFirst.slice(0, 2));
    expect((await listAlerts(ledger.client, { first: 1 })).map((a) => a.id)).toEqual(newestFirst.slice(0, 1));

    // Mark the second-newest and the oldest read.
    for (const id of [newestFirst[1]!, newestFirst[4]!]) {
      const data = await ledger.client.data(MARK_READ, { id });
      expect(data.markBudgetAlertRead).toMatchObject({ id, read: true });
    }
    // Marking again is harmless.
    expect((await ledger.client.data(MARK_READ, { id: newestFirst[1] })).markBudgetAlertRead.read).toBe(true);
    const unread = await listAlerts(ledger.client, { unreadOnly: true });
    expect(unread.map((a) => a.id)).toEqual([newestFirst[0], newestFirst[2], newestFirst[3]]);
    expect(unread.every((a) => !a.read)).toBe(true);
    expect((await listAlerts(ledger.client, { unreadOnly: true, first: 2 })).map((a) => a.id)).toEqual([
      newestFirst[0],
      newestFirst[2],
    ]);
    const everything = await listAlerts(ledger.client);
    expect(everything.map((a) => [a.id, a.read])).toEqual(
      newestFirst.map((id, i) => [id, i === 1 || i === 4]),
    );
  });

  it('first defaults to 50 and must be 1..500', async () => {
    const ledger = await newLedger();
    const account = await ledger.account();
    const thresholds = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    for (let i = 0; i < 6; i++) await ledger.budget({ amount: '100.00', alertThresholds: thresholds }, null);
    await ledger.create({ amount: '100.00', date: '2026-01-02', accountId: account }); // 6 x 10 alerts
    expect(await ledger.expectAlerts()).toHaveLength(60);

    const byDefault = await ledger.client.data('{ budgetAlerts { id } }');
    expect(byDefault.budgetAlerts).toHaveLength(50);
    expect((await listAlerts(ledger.client, { first: 500 })).length).toBe(60);
    expect((await listAlerts(ledger.client, { first: 60 })).length).toBe(60);

    for (const first of [0, -1, 501, 100000]) {
      const result = await ledger.client.request(
        'query ($first: Int) { budgetAlerts(first: $first) { id } }',
        {
          first,
        },
      );
      expect(result.errors?.[0]?.extensions?.code, `first: ${first}`).toBe('BAD_USER_INPUT');
    }
  });

  it('another user’s alert behaves as unknown: NOT_FOUND, untouched, never listed', async () => {
    const owner = await newLedger();
    const [alertId] = await fireInOrder(owner, 1);
    const intruder = await newLedger();
    const intruderAccount = await intruder.account();
    await intruder.budget({ amount: '1.00', alertThresholds: [100] }, null);
    await intruder.create({ amount: '1.00', date: '2026-01-05', accountId: intruderAccount });

    expect(await intruder.client.errorCode(MARK_READ, { id: alertId })).toBe('NOT_FOUND');
    expect(await intruder.client.errorCode(MARK_READ, { id: 'not-a-uuid' })).toBe('NOT_FOUND');
    expect(await intruder.client.errorCode(MARK_READ, { id: '00000000-0000-4000-8000-000000000000' })).toBe(
      'NOT_FOUND',
    );
    const ownerAlerts = await listAlerts(owner.client);
    expect(ownerAlerts.map((a) => [a.id, a.read])).toEqual([[alertId, false]]);
    const intruderAlerts = await intruder.expectAlerts();
    expect(intruderAlerts.map((a) => a.id)).not.toContain(alertId);
    expect(intruderAlerts).toHaveLength(1);

    expect(await server.client().errorCode('{ budgetAlerts { id } }')).toBe('UNAUTHENTICATED');
    expect(await server.client().errorCode(MARK_READ, { id: alertId })).toBe('UNAUTHENTICATED');
  });
});

function weekContaining(anchor: string, date: string): Period {
  const day = (d: string) => new Date(`${d}T00:00:00Z`);
  const offset = (day(date).getUTCDay() - day(anchor).getUTCDay() + 7) % 7;
  const start = new Date(day(date).getTime() - offset * 86_400_000);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

function unexpectedDate(date: string): never {
  throw new Error(`no period expected for ${date}`);
}
