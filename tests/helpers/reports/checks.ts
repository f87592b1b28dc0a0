import { expect } from 'vitest';
import type { GraphQLClient } from '../graphql.js';
import { firstOfMonth, lastOfMonth, utcToday } from '../model/calendar.js';
import { cents, money } from '../model/money.js';
import { TRANSACTION_FIELDS } from '../operations.js';
import {
  budgets,
  categories,
  currencyOf,
  expectedCashflow,
  expectedStatus,
  sumTotals,
  totalBalance,
  totalsByCategory,
  txs,
  txsIn,
  userCurrency,
  type Interval,
  type Kind,
  type Owner,
  type Total,
} from './model.js';
import { clients } from './seed.js';

/**
 * The reports' queries, and their answers compared field by field with the model (./model.ts).
 */

const CA = /* GraphQL */ `
  fragment CA on CategoryAmount {
    category {
      id
      name
      kind
      parent {
        id
      }
    }
    total
    count
    share
  }
`;
const BVA = /* GraphQL */ `
  fragment BVA on BudgetVsActual {
    budget {
      id
      category {
        id
      }
      period
      startDate
      rollover
    }
    status {
      periodStart
      periodEnd
      budgeted
      carriedOver
      available
      spent
      remaining
      percentUsed
      overBudget
    }
  }
`;

export const MONTHLY = /* GraphQL */ `
  ${CA}
  ${BVA}
  query ($month: Month!, $currency: String) {
    monthlyReport(month: $month, currency: $currency) {
      month
      currency
      income
      expenses
      net
      incomeByCategory {
        ...CA
      }
      expensesByCategory {
        ...CA
      }
      budgets {
        ...BVA
      }
    }
  }
`;

export const SPENDING = /* GraphQL */ `
  ${CA}
  query ($from: Date!, $to: Date!, $currency: String) {
    spendingByCategory(from: $from, to: $to, currency: $currency) {
      ...CA
    }
  }
`;

export const CASHFLOW = /* GraphQL */ `
  query ($from: Date!, $to: Date!, $interval: Interval!, $currency: String) {
    cashflow(from: $from, to: $to, interval: $interval, currency: $currency) {
      periodStart
      income
      expenses
      net
    }
  }
`;

export const DASHBOARD = /* GraphQL */ `
  ${BVA}
  query ($currency: String, $first: Int) {
    dashboard(currency: $currency) {
      currency totalBalance incomeThisMonth expensesThisMonth
      recentTransactions(first: $first) { ${TRANSACTION_FIELDS} }
      budgets { ...BVA }
    }
  }
`;

export const DASHBOARD_DEFAULT_FIRST = /* GraphQL */ `
  query ($currency: String) {
    dashboard(currency: $currency) {
      currency
      recentTransactions {
        id
        date
        createdAt
      }
    }
  }
`;

/** A CategoryAmount list against the expected totals: every field, order, shares. */
function checkCategoryAmounts(
  actual: any[],
  expected: Map<string | null, Total>,
  owner: Owner,
  kind: Kind,
  label: string,
): void {
  const sum = sumTotals(expected);
  expect(actual.map((row) => row.category?.id ?? null).sort(), `${label}: the categories listed`).toEqual(
    [...expected.keys()].sort(),
  );
  let shareSum = 0;
  for (const [index, row] of actual.entries()) {
    const key: string | null = row.category?.id ?? null;
    const want = expected.get(key)!;
    const where = `${label} / ${key === null ? 'uncategorized' : categories.get(key)!.name}`;
    expect(row.total, `${where}: total`).toBe(money(want.total));
    expect(row.count, `${where}: count`).toBe(want.count);
    expect(row.share, `${where}: share = total / sum`).toBeCloseTo(Number(want.total) / Number(sum), 9);
    expect(row.share, `${where}: share in 0..1`).toBeGreaterThanOrEqual(0);
    expect(row.share, `${where}: share in 0..1`).toBeLessThanOrEqual(1);
    shareSum += row.share;
    if (index > 0) {
      expect(cents(actual[index - 1].total) >= cents(row.total), `${where}: sorted by total desc`).toBe(true);
    }
    if (key !== null) {
      const model = categories.get(key)!;
      expect(model.owner, `${where}: the caller's category`).toBe(owner);
      expect(row.category.kind, `${where}: kind`).toBe(kind);
      expect(row.category.name, `${where}: name`).toBe(model.name);
      expect(row.category.parent?.id ?? null, `${where}: parent kept`).toBe(model.parentId);
    }
  }
  if (actual.length > 0) expect(shareSum, `${label}: shares sum to 1`).toBeCloseTo(1, 9);
}

function checkBudgets(actual: any[], owner: Owner, date: string, label: string): void {
  const own = [...budgets.values()].filter((b) => b.owner === owner);
  expect(actual.map((b) => b.budget.id).sort(), `${label}: the caller's budgets`).toEqual(
    own.map((b) => b.id).sort(),
  );
  for (const row of actual) {
    const model = budgets.get(row.budget.id)!;
    const want = expectedStatus(model, date);
    const where = `${label}: budget ${model.period} ${model.categoryId ? categories.get(model.categoryId)!.name : 'all'}`;
    expect(row.budget.category?.id ?? null, where).toBe(model.categoryId);
    const { percentUsed, ...rest } = row.status;
    const { percentUsed: wantPercent, ...wantRest } = want;
    expect(rest, `${where}: status`).toEqual(wantRest);
    expect(percentUsed, `${where}: percentUsed`).toBeCloseTo(wantPercent, 9);
  }
}

export async function monthly(owner: Owner, month: string, currency?: string | null): Promise<any> {
  return (await clients[owner].data(MONTHLY, { month, currency })).monthlyReport;
}

export async function checkMonthly(owner: Owner, month: string, currency?: string): Promise<any> {
  const report = await monthly(owner, month, currency);
  const cur = (currency ?? userCurrency[owner]).toUpperCase();
  const from = `${month}-01`;
  const to = lastOfMonth(from);
  const income = totalsByCategory(owner, cur, 'INCOME', from, to);
  const expenses = totalsByCategory(owner, cur, 'EXPENSE', from, to);
  const label = `${owner} monthlyReport ${month} ${cur}`;
  expect(report.month, label).toBe(month);
  expect(report.currency, label).toBe(cur);
  expect(report.income, `${label}: income`).toBe(money(sumTotals(income)));
  expect(report.expenses, `${label}: expenses`).toBe(money(sumTotals(expenses)));
  expect(report.net, `${label}: net`).toBe(money(sumTotals(income) - sumTotals(expenses)));
  checkCategoryAmounts(report.incomeByCategory, income, owner, 'INCOME', `${label} income`);
  checkCategoryAmounts(report.expensesByCategory, expenses, owner, 'EXPENSE', `${label} expenses`);
  checkBudgets(report.budgets, owner, from, label);
  return report;
}

export async function checkSpending(
  owner: Owner,
  from: string,
  to: string,
  currency?: string,
): Promise<any[]> {
  const rows = (await clients[owner].data(SPENDING, { from, to, currency })).spendingByCategory;
  const cur = (currency ?? userCurrency[owner]).toUpperCase();
  checkCategoryAmounts(
    rows,
    totalsByCategory(owner, cur, 'EXPENSE', from, to),
    owner,
    'EXPENSE',
    `${owner} spendingByCategory ${from}..${to} ${cur}`,
  );
  return rows;
}

export async function checkCashflow(
  owner: Owner,
  from: string,
  to: string,
  interval: Interval,
  currency?: string,
): Promise<any[]> {
  const points = (await clients[owner].data(CASHFLOW, { from, to, interval, currency })).cashflow;
  const cur = (currency ?? userCurrency[owner]).toUpperCase();
  expect(points, `${owner} cashflow ${interval} ${from}..${to} ${cur}`).toEqual(
    expectedCashflow(owner, cur, from, to, interval),
  );
  return points;
}

/** recentTransactions: newest first by date then createdAt; the first n of the caller's in that currency. */
function checkRecent(actual: any[], owner: Owner, currency: string, first: number, label: string): void {
  const key = (date: string, createdAt: string) =>
    `${date} ${String(Date.parse(createdAt)).padStart(16, '0')}`;
  const pool = txsIn(owner, currency).sort((a, b) => {
    const ka = key(a.date, a.createdAt);
    const kb = key(b.date, b.createdAt);
    return ka < kb ? 1 : ka > kb ? -1 : 0;
  });
  expect(actual.length, `${label}: length`).toBe(Math.min(first, pool.length));
  // Same keys in the same order: only exact (date, createdAt) ties may swap places.
  expect(
    actual.map((t) => key(t.date, t.createdAt)),
    `${label}: order by date, then createdAt`,
  ).toEqual(pool.slice(0, actual.length).map((t) => key(t.date, t.createdAt)));
  expect(new Set(actual.map((t) => t.id)).size, `${label}: no duplicates`).toBe(actual.length);
  for (const t of actual) {
    const model = txs.get(t.id);
    expect(model, `${label}: ${t.id} is one of the caller's transactions`).toBeDefined();
    expect(model!.owner, label).toBe(owner);
    expect(currencyOf(model!), label).toBe(currency);
    expect(t.createdAt, label).toBe(model!.createdAt);
    expect(
      {
        type: t.type,
        amount: t.amount,
        date: t.date,
        account: t.account.id,
        to: t.transferAccount?.id ?? null,
        category: t.category?.id ?? null,
      },
      label,
    ).toEqual({
      type: model!.type,
      amount: money(model!.amount),
      date: model!.date,
      account: model!.accountId,
      to: model!.transferAccountId,
      category: model!.categoryId,
    });
  }
}

/** The dashboard compared as of the UTC today around the request (retried once across midnight). */
export async function checkDashboard(owner: Owner, currency?: string, first?: number): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const before = utcToday();
    const dashboard = (await clients[owner].data(DASHBOARD, { currency, first })).dashboard;
    const after = utcToday();
    if (before !== after && attempt === 0) continue;
    const cur = (currency ?? userCurrency[owner]).toUpperCase();
    const label = `${owner} dashboard ${cur} (today ${before})`;
    const from = firstOfMonth(before);
    const to = lastOfMonth(before);
    expect(dashboard.currency, label).toBe(cur);
    expect(dashboard.totalBalance, `${label}: totalBalance`).toBe(money(totalBalance(owner, cur)));
    expect(dashboard.incomeThisMonth, `${label}: incomeThisMonth`).toBe(
      money(sumTotals(totalsByCategory(owner, cur, 'INCOME', from, to))),
    );
    expect(dashboard.expensesThisMonth, `${label}: expensesThisMonth`).toBe(
      money(sumTotals(totalsByCategory(owner, cur, 'EXPENSE', from, to))),
    );
    checkRecent(dashboard.recentTransactions, owner, cur, first ?? 5, `${label}: recentTransactions`);
    checkBudgets(dashboard.budgets, owner, before, label);
    return dashboard;
  }
}

export async function errorOf(client: GraphQLClient, query: string, variables: Record<string, unknown>) {
  const result = await client.request(query, variables);
  expect(result.data ?? null, JSON.stringify(result.errors)).toBeNull();
  expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
  return result.errors![0]!.extensions as { code?: string; field?: string };
}

/** Starts the server and writes the seed, recording it in the model. */
