/**
 * The four reports (monthlyReport, spendingByCategory, cashflow, dashboard) through the GraphQL
 * API, every figure compared with the model of the seed (tests/helpers/reports/); and what
 * every report refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_USER_INPUT, UNAUTHENTICATED } from './helpers/error-codes.js';
import { addDays, addMonths, lastOfMonth } from './helpers/model/calendar.js';
import { money } from './helpers/model/money.js';
import {
  CASHFLOW,
  checkCashflow,
  checkDashboard,
  checkMonthly,
  checkSpending,
  DASHBOARD,
  DASHBOARD_DEFAULT_FIRST,
  errorOf,
  monthly,
  MONTHLY,
  SPENDING,
} from './helpers/reports/checks.js';
import { accounts, balanceOf, budgets, periodStartOf, totalBalance } from './helpers/reports/model.js';
import { acc, cat, clients, seedReports, seedToday, server } from './helpers/reports/seed.js';

beforeAll(seedReports, 180_000);
afterAll(() => server?.close());

describe('the seed model', () => {
  it('models the balances the server reports (so the seed model is right)', async () => {
    for (const owner of ['A', 'B'] as const) {
      const data = await clients[owner].data('{ accounts(includeArchived: true) { id balance archived } }');
      const own = [...accounts.values()].filter((a) => a.owner === owner);
      expect(data.accounts.map((a: any) => a.id).sort()).toEqual(own.map((a) => a.id).sort());
      for (const a of data.accounts) {
        expect(a.balance, accounts.get(a.id)!.currency).toBe(money(balanceOf(a.id)));
        expect(a.archived).toBe(accounts.get(a.id)!.archived);
      }
    }
  });
});

describe('monthlyReport', () => {
  it('matches every figure for months with data, default currency', async () => {
    for (const month of ['2023-12', '2024-01', '2024-02', '2024-04', '2024-05', seedToday.slice(0, 7)]) {
      await checkMonthly('A', month);
    }
    // February 2024 is the rich month: spot-check the scenario is what the test thinks it is.
    const feb = await checkMonthly('A', '2024-02');
    expect(feb.expensesByCategory.some((r: any) => r.category === null)).toBe(true);
    const food = feb.expensesByCategory.find((r: any) => r.category?.id === cat.A.Food);
    expect(food.count).toBe(2); // 50 + 66.60, no roll-up of Restaurants/Coffee into Food
    expect(feb.expensesByCategory.some((r: any) => r.category?.id === cat.A.Coffee)).toBe(true);
    expect(feb.budgets.some((b: any) => b.status.overBudget)).toBe(true);
  });

  it('is all zeros with empty lists for an empty month (budgets still listed)', async () => {
    const report = await checkMonthly('A', '2024-03');
    expect(report.income).toBe('0.00');
    expect(report.expenses).toBe('0.00');
    expect(report.net).toBe('0.00');
    expect(report.incomeByCategory).toEqual([]);
    expect(report.expensesByCategory).toEqual([]);
    expect(report.budgets.length).toBe([...budgets.values()].filter((b) => b.owner === 'A').length);
    // Bob has data in March 2024 in both currencies; Ann's March is still empty.
    await checkMonthly('B', '2024-03');
    await checkMonthly('B', '2024-03', 'USD');
    // A month long before any data.
    const old = await checkMonthly('A', '2019-07');
    expect(old.incomeByCategory).toEqual([]);
  });

  it('uses the currency argument, else the user’s currency', async () => {
    const eur = await checkMonthly('A', '2024-02', 'EUR');
    const usd = await checkMonthly('A', '2024-02');
    expect(eur.currency).toBe('EUR');
    expect(usd.currency).toBe('USD');
    expect(eur.expenses).not.toBe(usd.expenses);
    expect(await monthly('A', '2024-02', 'USD')).toEqual(usd);
    expect(await monthly('A', '2024-02', null)).toEqual(usd);
    // Bob's default is EUR.
    const bob = await checkMonthly('B', '2024-02');
    expect(bob.currency).toBe('EUR');
    await checkMonthly('B', '2024-02', 'USD');
    // A currency with no accounts: zeros.
    const gbp = await checkMonthly('A', '2024-02', 'GBP');
    expect([gbp.income, gbp.expenses, gbp.net]).toEqual(['0.00', '0.00', '0.00']);
  });

  it('accepts a lower-case currency as the upper-case code', async () => {
    const lower = await checkMonthly('A', '2024-02', 'eur');
    expect(lower.currency).toBe('EUR');
    expect(lower).toEqual(await monthly('A', '2024-02', 'EUR'));
    expect(await monthly('A', '2024-02', 'Eur')).toEqual(lower);
  });
});

describe('spendingByCategory', () => {
  it('matches every figure, sorted by total with shares summing to 1', async () => {
    const ranges: [string, string, string?][] = [
      ['2024-02-01', '2024-02-29'],
      ['2024-01-01', '2024-02-29'],
      ['2023-12-31', '2024-04-30'],
      ['2024-01-31', '2024-02-01'],
      ['2024-02-29', '2024-02-29'],
      ['2020-01-01', '2029-12-31'],
      ['2024-02-01', '2024-02-29', 'EUR'],
      ['2020-01-01', '2029-12-31', 'eur'],
    ];
    for (const [from, to, currency] of ranges) {
      const rows = await checkSpending('A', from, to, currency);
      expect(rows.length, `${from}..${to}`).toBeGreaterThan(0);
    }
    // Several categories with distinct totals, so the order is really checked.
    const wide = await checkSpending('A', '2023-12-31', '2024-04-30');
    expect(new Set(wide.map((r: any) => r.total)).size).toBeGreaterThan(4);
    await checkSpending('B', '2020-01-01', '2029-12-31');
    await checkSpending('B', '2020-01-01', '2029-12-31', 'USD');
  });

  it('is empty for a range with no expenses', async () => {
    expect(await checkSpending('A', '2024-03-01', '2024-03-31')).toEqual([]);
    expect(await checkSpending('A', '2024-02-01', '2024-02-29', 'JPY')).toEqual([]);
  });

  it('refuses from > to and ranges over 10 years, allows exactly 10 years', async () => {
    const bad = await errorOf(clients.A, SPENDING, { from: '2024-03-01', to: '2024-02-29' });
    expect(bad.code).toBe(BAD_USER_INPUT);
    await checkSpending('A', '2014-03-01', '2024-03-01');
    expect((await errorOf(clients.A, SPENDING, { from: '2014-03-01', to: '2024-03-02' })).code).toBe(
      BAD_USER_INPUT,
    );
    // Ten years from 28 Feb 2014 end on 28 Feb 2024; the leap day is one day more.
    await checkSpending('A', '2014-02-28', '2024-02-28');
    // From a leap day: its anniversary in a common year is 28 Feb (as for yearly budgets), so
    // 1 Mar ten years on is one day too many.
    await checkSpending('A', '2016-02-29', '2026-02-28');
    for (const to of ['2026-03-01', '2026-03-02']) {
      expect((await errorOf(clients.A, SPENDING, { from: '2016-02-29', to })).code).toBe(BAD_USER_INPUT);
    }
    expect((await errorOf(clients.A, SPENDING, { from: '2014-02-28', to: '2024-02-29' })).code).toBe(
      BAD_USER_INPUT,
    );
  });
});

describe('the cashflow model', () => {
  it('starts weeks on Monday and months on the 1st', () => {
    expect(periodStartOf('WEEK', '2024-01-31')).toBe('2024-01-29');
    expect(periodStartOf('WEEK', '2024-01-07')).toBe('2024-01-01');
    expect(addMonths('2023-12-01', 1)).toBe('2024-01-01');
    expect(lastOfMonth('2024-02-10')).toBe('2024-02-29');
  });
});

describe('cashflow', () => {
  it('DAY: one point per day, zeros included, leap day', async () => {
    const points = await checkCashflow('A', '2024-02-27', '2024-03-02', 'DAY');
    expect(points.map((p: any) => p.periodStart)).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
    ]);
    await checkCashflow('A', '2024-02-29', '2024-02-29', 'DAY');
    await checkCashflow('A', '2023-12-25', '2024-05-05', 'DAY');
    await checkCashflow('A', '2024-01-25', '2024-03-05', 'DAY', 'EUR');
  });

  it('WEEK: ISO weeks from the one containing from to the one containing to, counting only [from, to]', async () => {
    // 2024-01-31 is a Wednesday: the first week starts on Monday 29 Jan, whose two days before
    // `from` hold transactions that must not count. 2024-04-30 is a Tuesday: the last week runs
    // to 5 May, and 2 May must not count.
    const points = await checkCashflow('A', '2024-01-31', '2024-04-30', 'WEEK');
    expect(points[0].periodStart).toBe('2024-01-29');
    expect(points.at(-1).periodStart).toBe('2024-04-29');
    expect(points.some((p: any) => p.income === '0.00' && p.expenses === '0.00')).toBe(true);
    await checkCashflow('A', '2024-01-29', '2024-05-05', 'WEEK');
    await checkCashflow('A', '2024-01-07', '2024-01-08', 'WEEK'); // Sunday..Monday: two weeks
    await checkCashflow('A', '2023-12-31', '2024-03-03', 'WEEK', 'EUR');
    await checkCashflow('B', '2024-01-01', '2024-03-31', 'WEEK');
  });

  it('MONTH: months from the one containing from, empty month with zeros', async () => {
    const points = await checkCashflow('A', '2023-12-31', '2024-04-30', 'MONTH');
    expect(points.map((p: any) => p.periodStart)).toEqual([
      '2023-12-01',
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
      '2024-04-01',
    ]);
    expect(points[3]).toEqual({ periodStart: '2024-03-01', income: '0.00', expenses: '0.00', net: '0.00' });
    await checkCashflow('A', '2023-12-01', '2024-05-31', 'MONTH');
    await checkCashflow('A', '2024-01-15', '2024-04-10', 'MONTH');
    await checkCashflow('A', '2024-02-29', '2024-02-29', 'MONTH');
    await checkCashflow('A', '2023-06-01', '2027-01-31', 'MONTH');
    await checkCashflow('A', '2023-06-01', '2027-01-31', 'MONTH', 'eur');
    await checkCashflow('B', '2023-06-01', '2027-01-31', 'MONTH');
    await checkCashflow('B', '2023-06-01', '2027-01-31', 'MONTH', 'USD');
  });

  it('allows 1,000 points and refuses 1,001', async () => {
    const from = '2023-06-01';
    const points = await checkCashflow('A', from, addDays(from, 999), 'DAY');
    expect(points.length).toBe(1000);
    expect(
      (await errorOf(clients.A, CASHFLOW, { from, to: addDays(from, 1000), interval: 'DAY' })).code,
    ).toBe(BAD_USER_INPUT);
  });

  it('refuses from > to and ranges over 10 years, allows exactly 10 years', async () => {
    for (const interval of ['DAY', 'WEEK', 'MONTH'] as const) {
      const reversed = await errorOf(clients.A, CASHFLOW, { from: '2024-02-02', to: '2024-02-01', interval });
      expect(reversed.code, interval).toBe(BAD_USER_INPUT);
    }
    const weeks = await checkCashflow('A', '2014-03-01', '2024-03-01', 'WEEK');
    expect(weeks.length).toBeGreaterThan(500);
    const months = await checkCashflow('A', '2014-03-01', '2024-03-01', 'MONTH');
    expect(months.length).toBe(121);
    for (const interval of ['WEEK', 'MONTH'] as const) {
      const long = await errorOf(clients.A, CASHFLOW, { from: '2014-03-01', to: '2024-03-02', interval });
      expect(long.code, interval).toBe(BAD_USER_INPUT);
    }
  });
});

describe('dashboard', () => {
  it('matches every figure in the user’s currency, excluding archived accounts from totalBalance', async () => {
    const dashboard = await checkDashboard('A');
    expect(dashboard.currency).toBe('USD');
    // The archived account holds money, so excluding it matters.
    expect(balanceOf(acc.A.cash!)).not.toBe(0n);
    expect(dashboard.totalBalance).not.toBe(money(totalBalance('A', 'USD', true)));
    // This month has income and expenses; the neighbouring months' do not leak in.
    expect(dashboard.incomeThisMonth).not.toBe('0.00');
    expect(dashboard.expensesThisMonth).not.toBe('0.00');
  });

  it('takes a currency argument (any case) and other users’ data never shows', async () => {
    const eur = await checkDashboard('A', 'EUR');
    expect(await checkDashboard('A', 'eur')).toEqual(eur);
    await checkDashboard('B');
    await checkDashboard('B', 'USD');
    const none = await checkDashboard('A', 'GBP');
    expect(none.totalBalance).toBe('0.00');
    expect(none.recentTransactions).toEqual([]);
  });

  it('recentTransactions: newest first by date then createdAt, first defaults to 5', async () => {
    const byDefault = (await clients.A.data(DASHBOARD_DEFAULT_FIRST, {})).dashboard.recentTransactions;
    expect(byDefault.length).toBe(5);
    const full = await checkDashboard('A', undefined, 5);
    expect(byDefault.map((t: any) => t.id)).toEqual(full.recentTransactions.map((t: any) => t.id));
    await checkDashboard('A', undefined, 1);
    await checkDashboard('A', undefined, 3);
    await checkDashboard('A', undefined, 40); // more than Ann has in USD: all of them
    await checkDashboard('A', 'EUR', 40);
    await checkDashboard('B', 'USD', 3);
  });
});

describe('access', () => {
  const queries: [string, string, Record<string, unknown>][] = [
    ['dashboard', DASHBOARD, {}],
    ['monthlyReport', MONTHLY, { month: '2024-02' }],
    ['spendingByCategory', SPENDING, { from: '2024-02-01', to: '2024-02-29' }],
    ['cashflow', CASHFLOW, { from: '2024-02-01', to: '2024-02-29', interval: 'DAY' }],
  ];

  it('refuses unauthenticated callers with UNAUTHENTICATED', async () => {
    for (const [name, query, variables] of queries) {
      expect((await errorOf(server.client(), query, variables)).code, name).toBe(UNAUTHENTICATED);
      expect((await errorOf(server.client('not-a-token'), query, variables)).code, name).toBe(
        UNAUTHENTICATED,
      );
    }
  });

  it('refuses impossible months and dates with BAD_USER_INPUT', async () => {
    for (const month of ['2024-13', '2024-00', '2024-2', '2024-02-01']) {
      expect((await errorOf(clients.A, MONTHLY, { month })).code, month).toBe(BAD_USER_INPUT);
    }
    for (const from of ['2024-02-30', '2023-02-29', '2024-1-01']) {
      expect((await errorOf(clients.A, SPENDING, { from, to: '2024-03-31' })).code, from).toBe(
        BAD_USER_INPUT,
      );
      const flow = await errorOf(clients.A, CASHFLOW, { from, to: '2024-03-31', interval: 'DAY' });
      expect(flow.code, from).toBe(BAD_USER_INPUT);
    }
  });

  it('refuses an invalid currency with BAD_USER_INPUT on field currency', async () => {
    for (const currency of ['XYZ', 'US', 'USDD', 'EURO', '', 'us d', '123']) {
      for (const [name, query, variables] of queries) {
        const error = await errorOf(clients.A, query, { ...variables, currency });
        expect(error, `${name} currency ${JSON.stringify(currency)}`).toMatchObject({
          code: BAD_USER_INPUT,
          field: 'currency',
        });
      }
    }
  });
});
