import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLClient } from './helpers/graphql.js';
import { cents, money } from './helpers/ledger-check.js';
import { createAccount, createTransaction, TRANSACTION_FIELDS } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

/*
 * The four reports (monthlyReport, spendingByCategory, cashflow, dashboard) through the GraphQL
 * API. Two users seed accounts in USD and EUR (one archived), nested categories, income,
 * expenses, transfers and uncategorized transactions on month edges, a leap day and around an
 * empty month, all through the API. Every figure of every report is compared with the test's own
 * computation over that seed: money as BigInt cents, calendar arithmetic on day numbers (no JS
 * Date, no src code), budget periods from the contract's wording.
 */

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian).
// ---------------------------------------------------------------------------------------------

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : monthLengths[m - 1]!);
const floorDiv = (a: number, b: number): number => Math.floor(a / b);

function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  let y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) throw new Error(`not a calendar date: ${date}`);
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * ((m + 9) % 12) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDayNumber(n: number): string {
  const z = n + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days);
/** Monday 0 … Sunday 6; day 0 (1970-01-01) was a Thursday. */
const weekday = (date: string): number => (((dayNumber(date) + 3) % 7) + 7) % 7;
const ymd = (date: string): [number, number, number] =>
  date.split('-').map(Number) as [number, number, number];
const dateOf = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const firstOfMonth = (date: string): string => `${date.slice(0, 7)}-01`;
const lastOfMonth = (date: string): string => {
  const [y, m] = ymd(date);
  return dateOf(y, m, daysIn(y, m));
};
const addMonths = (date: string, months: number): string => {
  const [y, m, d] = ymd(date);
  const index = y * 12 + (m - 1) + months;
  return dateOf(floorDiv(index, 12), (index % 12) + 1, d);
};
/** Today in UTC, from the clock, formatted here. */
const utcToday = (): string => fromDayNumber(Math.floor(Date.now() / 86_400_000));

type Interval = 'DAY' | 'WEEK' | 'MONTH';

function periodStartOf(interval: Interval, date: string): string {
  if (interval === 'DAY') return date;
  if (interval === 'WEEK') return addDays(date, -weekday(date));
  return firstOfMonth(date);
}

function nextPeriodStart(interval: Interval, start: string): string {
  if (interval === 'DAY') return addDays(start, 1);
  if (interval === 'WEEK') return addDays(start, 7);
  return addMonths(start, 1);
}

// ---------------------------------------------------------------------------------------------
// The seed as the test models it.
// ---------------------------------------------------------------------------------------------

type Owner = 'A' | 'B';
type TxType = 'INCOME' | 'EXPENSE' | 'TRANSFER';
type Kind = 'INCOME' | 'EXPENSE';
type BudgetPeriod = 'WEEKLY' | 'MONTHLY' | 'YEARLY';

interface AccountModel {
  id: string;
  owner: Owner;
  currency: string;
  opening: bigint;
  archived: boolean;
}
interface CategoryModel {
  id: string;
  owner: Owner;
  name: string;
  kind: Kind;
  parentId: string | null;
}
interface TxModel {
  id: string;
  owner: Owner;
  type: TxType;
  amount: bigint;
  date: string;
  accountId: string;
  transferAccountId: string | null;
  categoryId: string | null;
  createdAt: string;
}
interface BudgetModel {
  id: string;
  owner: Owner;
  categoryId: string | null;
  amount: bigint;
  period: BudgetPeriod;
  startDate: string;
  rollover: boolean;
}

const accounts = new Map<string, AccountModel>();
const categories = new Map<string, CategoryModel>();
const txs = new Map<string, TxModel>();
const budgets = new Map<string, BudgetModel>();
const userCurrency: Record<Owner, string> = { A: 'USD', B: 'EUR' };

let server: TestServer;
const clients = {} as Record<Owner, GraphQLClient>;

/** Names → ids, per owner, for the seed. */
const acc = { A: {} as Record<string, string>, B: {} as Record<string, string> };
const cat = { A: {} as Record<string, string>, B: {} as Record<string, string> };

/** Dates around the real today, fixed when seeding. */
let seedToday = '';

async function addAccount(
  owner: Owner,
  key: string,
  input: { currency?: string; openingBalance: string; type: string },
): Promise<void> {
  const created = await createAccount(clients[owner], { name: key, ...input });
  accounts.set(created.id, {
    id: created.id,
    owner,
    currency: created.currency,
    opening: cents(input.openingBalance),
    archived: false,
  });
  acc[owner][key] = created.id;
}

async function addCategory(owner: Owner, name: string, kind: Kind, parent?: string): Promise<void> {
  const parentId = parent ? cat[owner][parent]! : null;
  const data = await clients[owner].data(
    `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id name kind parent { id } } }`,
    { input: { name, kind, parentId } },
  );
  const c = data.createCategory;
  expect(c.parent?.id ?? null).toBe(parentId);
  categories.set(c.id, { id: c.id, owner, name, kind, parentId });
  cat[owner][name] = c.id;
}

async function loadStarterCategories(owner: Owner): Promise<void> {
  const data = await clients[owner].data('{ categories { id name kind parent { id } } }');
  for (const c of data.categories) {
    categories.set(c.id, { id: c.id, owner, name: c.name, kind: c.kind, parentId: c.parent?.id ?? null });
    cat[owner][c.name] = c.id;
  }
}

interface TxSpec {
  type: TxType;
  amount: string;
  date: string;
  account: string;
  to?: string;
  category?: string;
}

async function addTx(owner: Owner, spec: TxSpec): Promise<string> {
  const accountId = acc[owner][spec.account]!;
  const transferAccountId = spec.to ? acc[owner][spec.to]! : null;
  const categoryId = spec.category ? cat[owner][spec.category]! : null;
  expect(accountId, spec.account).toBeDefined();
  const node = await createTransaction(clients[owner], {
    type: spec.type,
    amount: spec.amount,
    date: spec.date,
    accountId,
    ...(transferAccountId ? { transferAccountId } : {}),
    ...(categoryId ? { categoryId } : {}),
  });
  txs.set(node.id, {
    id: node.id,
    owner,
    type: spec.type,
    amount: cents(spec.amount),
    date: spec.date,
    accountId,
    transferAccountId,
    categoryId,
    createdAt: node.createdAt,
  });
  return node.id;
}

async function addBudget(
  owner: Owner,
  input: { category?: string; amount: string; period: BudgetPeriod; startDate: string; rollover?: boolean },
): Promise<void> {
  const categoryId = input.category ? cat[owner][input.category]! : null;
  const data = await clients[owner].data(
    `mutation ($input: CreateBudgetInput!) { createBudget(input: $input) { id } }`,
    {
      input: {
        categoryId,
        amount: input.amount,
        period: input.period,
        startDate: input.startDate,
        rollover: input.rollover ?? false,
      },
    },
  );
  budgets.set(data.createBudget.id, {
    id: data.createBudget.id,
    owner,
    categoryId,
    amount: cents(input.amount),
    period: input.period,
    startDate: input.startDate,
    rollover: input.rollover ?? false,
  });
}

// ---------------------------------------------------------------------------------------------
// Expected figures, computed from the model only.
// ---------------------------------------------------------------------------------------------

const currencyOf = (tx: TxModel): string => accounts.get(tx.accountId)!.currency;
const txsIn = (owner: Owner, currency: string): TxModel[] =>
  [...txs.values()].filter((tx) => tx.owner === owner && currencyOf(tx) === currency);

interface Total {
  total: bigint;
  count: number;
}

function totalsByCategory(
  owner: Owner,
  currency: string,
  type: Kind,
  from: string,
  to: string,
): Map<string | null, Total> {
  const result = new Map<string | null, Total>();
  for (const tx of txsIn(owner, currency)) {
    if (tx.type !== type || tx.date < from || tx.date > to) continue;
    const entry = result.get(tx.categoryId) ?? { total: 0n, count: 0 };
    entry.total += tx.amount;
    entry.count += 1;
    result.set(tx.categoryId, entry);
  }
  return result;
}

const sumTotals = (totals: Map<string | null, Total>): bigint =>
  [...totals.values()].reduce((acc, t) => acc + t.total, 0n);

function balanceOf(accountId: string): bigint {
  let balance = accounts.get(accountId)!.opening;
  for (const tx of txs.values()) {
    if (tx.accountId === accountId) balance += tx.type === 'INCOME' ? tx.amount : -tx.amount;
    if (tx.type === 'TRANSFER' && tx.transferAccountId === accountId) balance += tx.amount;
  }
  return balance;
}

function totalBalance(owner: Owner, currency: string, includeArchived = false): bigint {
  return [...accounts.values()]
    .filter((a) => a.owner === owner && a.currency === currency && (includeArchived || !a.archived))
    .reduce((acc, a) => acc + balanceOf(a.id), 0n);
}

/** The category and all its descendants. */
function subtree(categoryId: string): Set<string> {
  const result = new Set([categoryId]);
  for (let grown = true; grown;) {
    grown = false;
    for (const c of categories.values()) {
      if (c.parentId && result.has(c.parentId) && !result.has(c.id)) {
        result.add(c.id);
        grown = true;
      }
    }
  }
  return result;
}

interface Span {
  start: string;
  end: string;
}

/** The budget period containing date, from the contract's rules (anchors kept simple: day <= 28, no 29 Feb). */
function budgetPeriod(budget: BudgetModel, date: string): Span {
  const [, am, ad] = ymd(budget.startDate);
  if (budget.period === 'WEEKLY') {
    const start = addDays(date, -((weekday(date) - weekday(budget.startDate) + 7) % 7));
    return { start, end: addDays(start, 6) };
  }
  if (ad > 28) throw new Error('test budgets keep day-of-month anchors <= 28');
  const [y, m] = ymd(date);
  if (budget.period === 'MONTHLY') {
    let start = dateOf(y, m, ad);
    if (start > date) start = addMonths(start, -1);
    return { start, end: addDays(addMonths(start, 1), -1) };
  }
  let start = dateOf(y, am, ad);
  if (start > date) start = dateOf(y - 1, am, ad);
  return { start, end: addDays(addMonths(start, 12), -1) };
}

function budgetSpent(budget: BudgetModel, span: Span): bigint {
  const scope = budget.categoryId ? subtree(budget.categoryId) : null;
  return txsIn(budget.owner, userCurrency[budget.owner])
    .filter(
      (tx) =>
        tx.type === 'EXPENSE' &&
        tx.date >= span.start &&
        tx.date <= span.end &&
        (scope === null || (tx.categoryId !== null && scope.has(tx.categoryId))),
    )
    .reduce((acc, tx) => acc + tx.amount, 0n);
}

interface ExpectedStatus {
  periodStart: string;
  periodEnd: string;
  budgeted: string;
  carriedOver: string;
  available: string;
  spent: string;
  remaining: string;
  percentUsed: number;
  overBudget: boolean;
}

function expectedStatus(budget: BudgetModel, date: string): ExpectedStatus {
  const target = budgetPeriod(budget, date);
  let carried = 0n;
  if (budget.rollover) {
    let period = budgetPeriod(budget, budget.startDate);
    let guard = 0;
    while (period.start < target.start) {
      carried = budget.amount + carried - budgetSpent(budget, period);
      period = budgetPeriod(budget, addDays(period.end, 1));
      if (++guard > 10_000) throw new Error('rollover chain does not end');
    }
  }
  const available = budget.amount + carried;
  const spent = budgetSpent(budget, target);
  return {
    periodStart: target.start,
    periodEnd: target.end,
    budgeted: money(budget.amount),
    carriedOver: money(carried),
    available: money(available),
    spent: money(spent),
    remaining: money(available - spent),
    percentUsed: available <= 0n ? (spent === 0n ? 0 : 100) : (Number(spent) / Number(available)) * 100,
    overBudget: spent > available,
  };
}

interface ExpectedPoint {
  periodStart: string;
  income: string;
  expenses: string;
  net: string;
}

function expectedCashflow(
  owner: Owner,
  currency: string,
  from: string,
  to: string,
  interval: Interval,
): ExpectedPoint[] {
  const sums = new Map<string, { income: bigint; expenses: bigint }>();
  const last = periodStartOf(interval, to);
  for (let p = periodStartOf(interval, from); p <= last; p = nextPeriodStart(interval, p)) {
    sums.set(p, { income: 0n, expenses: 0n });
  }
  for (const tx of txsIn(owner, currency)) {
    if (tx.type === 'TRANSFER' || tx.date < from || tx.date > to) continue;
    const bucket = sums.get(periodStartOf(interval, tx.date))!;
    if (tx.type === 'INCOME') bucket.income += tx.amount;
    else bucket.expenses += tx.amount;
  }
  return [...sums.entries()].map(([periodStart, s]) => ({
    periodStart,
    income: money(s.income),
    expenses: money(s.expenses),
    net: money(s.income - s.expenses),
  }));
}

// ---------------------------------------------------------------------------------------------
// Queries and comparisons.
// ---------------------------------------------------------------------------------------------

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

const MONTHLY = /* GraphQL */ `
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

const SPENDING = /* GraphQL */ `
  ${CA}
  query ($from: Date!, $to: Date!, $currency: String) {
    spendingByCategory(from: $from, to: $to, currency: $currency) {
      ...CA
    }
  }
`;

const CASHFLOW = /* GraphQL */ `
  query ($from: Date!, $to: Date!, $interval: Interval!, $currency: String) {
    cashflow(from: $from, to: $to, interval: $interval, currency: $currency) {
      periodStart
      income
      expenses
      net
    }
  }
`;

const DASHBOARD = /* GraphQL */ `
  ${BVA}
  query ($currency: String, $first: Int) {
    dashboard(currency: $currency) {
      currency totalBalance incomeThisMonth expensesThisMonth
      recentTransactions(first: $first) { ${TRANSACTION_FIELDS} }
      budgets { ...BVA }
    }
  }
`;

const DASHBOARD_DEFAULT_FIRST = /* GraphQL */ `
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

async function monthly(owner: Owner, month: string, currency?: string | null): Promise<any> {
  return (await clients[owner].data(MONTHLY, { month, currency })).monthlyReport;
}

async function checkMonthly(owner: Owner, month: string, currency?: string): Promise<any> {
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

async function checkSpending(owner: Owner, from: string, to: string, currency?: string): Promise<any[]> {
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

async function checkCashflow(
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
async function checkDashboard(owner: Owner, currency?: string, first?: number): Promise<any> {
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

async function errorOf(client: GraphQLClient, query: string, variables: Record<string, unknown>) {
  const result = await client.request(query, variables);
  expect(result.data ?? null, JSON.stringify(result.errors)).toBeNull();
  expect(result.errors?.length, JSON.stringify(result)).toBeGreaterThan(0);
  return result.errors![0]!.extensions as { code?: string; field?: string };
}

// ---------------------------------------------------------------------------------------------
// Seed.
// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  server = await startTestServer();
  const anonymous = server.client();
  const a = await registerUser(anonymous, { name: 'Ann' });
  const b = await registerUser(anonymous, { name: 'Bob', currency: 'eur' });
  clients.A = server.client(a.accessToken);
  clients.B = server.client(b.accessToken);
  const me = await clients.B.data('{ me { currency } }');
  expect(me.me.currency).toBe('EUR');

  seedToday = utcToday();
  const monthStart = firstOfMonth(seedToday);
  const prevMonthLast = addDays(monthStart, -1);
  const nextMonthFirst = addMonths(monthStart, 1);

  // --- Ann: USD by default, accounts in USD and EUR, nested categories.
  await loadStarterCategories('A');
  await addCategory('A', 'Food', 'EXPENSE');
  await addCategory('A', 'Restaurants', 'EXPENSE', 'Food');
  await addCategory('A', 'Coffee', 'EXPENSE', 'Restaurants');
  await addCategory('A', 'Work', 'INCOME');
  await addCategory('A', 'Bonus', 'INCOME', 'Work');
  await addCategory('A', 'Temp', 'EXPENSE');
  await addAccount('A', 'chk', { type: 'CHECKING', openingBalance: '1000' });
  await addAccount('A', 'sav', { type: 'SAVINGS', openingBalance: '250.5' });
  await addAccount('A', 'cash', { type: 'CASH', openingBalance: '40' });
  await addAccount('A', 'card', { type: 'CREDIT_CARD', openingBalance: '-120.25' });
  await addAccount('A', 'eurChk', { type: 'CHECKING', currency: 'EUR', openingBalance: '500' });
  await addAccount('A', 'eurSav', { type: 'SAVINGS', currency: 'EUR', openingBalance: '0' });

  const A: TxSpec[] = [
    { type: 'EXPENSE', amount: '11.11', date: '2023-12-15', account: 'chk', category: 'Groceries' },
    { type: 'INCOME', amount: '500', date: '2023-12-31', account: 'chk', category: 'Salary' },
    { type: 'EXPENSE', amount: '1200', date: '2024-01-01', account: 'chk', category: 'Housing' },
    { type: 'EXPENSE', amount: '45.67', date: '2024-01-01', account: 'chk', category: 'Food' },
    { type: 'EXPENSE', amount: '8.5', date: '2024-01-15', account: 'cash', category: 'Coffee' },
    { type: 'EXPENSE', amount: '3.33', date: '2024-01-29', account: 'chk', category: 'Coffee' },
    { type: 'INCOME', amount: '2500.00', date: '2024-01-30', account: 'chk', category: 'Salary' },
    { type: 'EXPENSE', amount: '60', date: '2024-01-31', account: 'chk', category: 'Restaurants' },
    { type: 'TRANSFER', amount: '300', date: '2024-01-31', account: 'chk', to: 'sav' },
    { type: 'EXPENSE', amount: '100', date: '2024-02-01', account: 'chk' },
    { type: 'INCOME', amount: '250', date: '2024-02-01', account: 'sav', category: 'Bonus' },
    { type: 'EXPENSE', amount: '50', date: '2024-02-01', account: 'card', category: 'Food' },
    { type: 'EXPENSE', amount: '75.25', date: '2024-02-10', account: 'chk', category: 'Groceries' },
    { type: 'EXPENSE', amount: '30.1', date: '2024-02-14', account: 'card', category: 'Restaurants' },
    { type: 'EXPENSE', amount: '4.90', date: '2024-02-14', account: 'cash', category: 'Coffee' },
    { type: 'EXPENSE', amount: '19.99', date: '2024-02-15', account: 'chk', category: 'Temp' },
    { type: 'INCOME', amount: '12.34', date: '2024-02-20', account: 'chk', category: 'Work' },
    { type: 'INCOME', amount: '0.01', date: '2024-02-20', account: 'sav', category: 'Other income' },
    { type: 'EXPENSE', amount: '29.29', date: '2024-02-29', account: 'chk', category: 'Restaurants' },
    { type: 'EXPENSE', amount: '0.71', date: '2024-02-29', account: 'cash' },
    { type: 'TRANSFER', amount: '40', date: '2024-02-29', account: 'sav', to: 'cash' },
    { type: 'INCOME', amount: '2500', date: '2024-02-29', account: 'chk', category: 'Salary' },
    // Ties Groceries' February total.
    { type: 'EXPENSE', amount: '75.25', date: '2024-02-29', account: 'chk', category: 'Dining' },
    // March 2024: nothing for Ann.
    { type: 'EXPENSE', amount: '15', date: '2024-04-01', account: 'chk', category: 'Coffee' },
    { type: 'TRANSFER', amount: '100', date: '2024-04-01', account: 'sav', to: 'chk' },
    { type: 'INCOME', amount: '2500', date: '2024-04-30', account: 'chk', category: 'Salary' },
    { type: 'EXPENSE', amount: '999.99', date: '2024-04-30', account: 'card', category: 'Housing' },
    { type: 'EXPENSE', amount: '7.77', date: '2024-05-02', account: 'chk', category: 'Groceries' },
    // EUR.
    { type: 'INCOME', amount: '1000', date: '2024-01-31', account: 'eurChk', category: 'Salary' },
    { type: 'EXPENSE', amount: '200', date: '2024-02-01', account: 'eurChk', category: 'Housing' },
    { type: 'EXPENSE', amount: '33', date: '2024-02-10', account: 'eurSav' },
    { type: 'EXPENSE', amount: '12.5', date: '2024-02-29', account: 'eurChk', category: 'Coffee' },
    { type: 'TRANSFER', amount: '150', date: '2024-02-29', account: 'eurChk', to: 'eurSav' },
    // Around today.
    { type: 'EXPENSE', amount: '88.88', date: prevMonthLast, account: 'chk', category: 'Dining' },
    { type: 'INCOME', amount: '3000', date: monthStart, account: 'chk', category: 'Salary' },
    { type: 'INCOME', amount: '20', date: monthStart, account: 'eurSav', category: 'Other income' },
    { type: 'EXPENSE', amount: '42.42', date: seedToday, account: 'chk', category: 'Groceries' },
    { type: 'TRANSFER', amount: '10', date: seedToday, account: 'chk', to: 'sav' },
    { type: 'EXPENSE', amount: '5.55', date: seedToday, account: 'card', category: 'Coffee' },
    { type: 'EXPENSE', amount: '9.99', date: seedToday, account: 'eurChk', category: 'Dining' },
    { type: 'EXPENSE', amount: '2.22', date: seedToday, account: 'cash' },
    { type: 'EXPENSE', amount: '77', date: nextMonthFirst, account: 'chk', category: 'Coffee' },
  ];
  for (const spec of A) await addTx('A', spec);

  // Deleted, updated and retyped transactions: the reports see the final state only.
  const deleted = await addTx('A', {
    type: 'EXPENSE',
    amount: '500',
    date: '2024-02-05',
    account: 'chk',
    category: 'Groceries',
  });
  await clients.A.data('mutation ($id: ID!) { deleteTransaction(id: $id) }', { id: deleted });
  txs.delete(deleted);

  const updated = await addTx('A', {
    type: 'EXPENSE',
    amount: '1',
    date: '2024-02-06',
    account: 'chk',
    category: 'Groceries',
  });
  await clients.A.data(
    'mutation ($id: ID!, $input: UpdateTransactionInput!) { updateTransaction(id: $id, input: $input) { id } }',
    { id: updated, input: { amount: '66.6', categoryId: cat.A.Food, date: '2024-02-07' } },
  );
  Object.assign(txs.get(updated)!, { amount: 6660n, categoryId: cat.A.Food, date: '2024-02-07' });

  const retyped = await addTx('A', { type: 'EXPENSE', amount: '10', date: '2024-02-08', account: 'chk' });
  await clients.A.data(
    'mutation ($id: ID!, $input: UpdateTransactionInput!) { updateTransaction(id: $id, input: $input) { id } }',
    { id: retyped, input: { type: 'TRANSFER', transferAccountId: acc.A.sav } },
  );
  Object.assign(txs.get(retyped)!, { type: 'TRANSFER', transferAccountId: acc.A.sav });

  // A deleted category leaves its transactions uncategorized.
  await clients.A.data('mutation ($id: ID!) { deleteCategory(id: $id) }', { id: cat.A.Temp });
  for (const tx of txs.values()) if (tx.categoryId === cat.A.Temp) tx.categoryId = null;
  categories.delete(cat.A.Temp!);

  // Archived after its transactions (an archived account takes no new ones).
  await clients.A.data(
    'mutation ($id: ID!) { updateAccount(id: $id, input: { archived: true }) { archived } }',
    { id: acc.A.cash },
  );
  accounts.get(acc.A.cash!)!.archived = true;

  await addBudget('A', { category: 'Food', amount: '100', period: 'MONTHLY', startDate: '2023-01-01' });
  await addBudget('A', { amount: '5000', period: 'MONTHLY', startDate: '2023-01-01' });
  await addBudget('A', { category: 'Groceries', amount: '1000', period: 'YEARLY', startDate: '2023-03-15' });
  await addBudget('A', { category: 'Restaurants', amount: '50', period: 'WEEKLY', startDate: '2024-01-03' });
  await addBudget('A', {
    category: 'Housing',
    amount: '1000',
    period: 'MONTHLY',
    startDate: '2023-06-01',
    rollover: true,
  });

  // --- Bob: EUR by default; his data lands on Ann's dates, in both currencies.
  await loadStarterCategories('B');
  await addCategory('B', 'Food', 'EXPENSE');
  await addAccount('B', 'eur', { type: 'CHECKING', openingBalance: '10000' });
  await addAccount('B', 'usd', { type: 'CHECKING', currency: 'USD', openingBalance: '777.77' });
  const B: TxSpec[] = [
    { type: 'EXPENSE', amount: '10', date: '2024-01-31', account: 'eur', category: 'Groceries' },
    { type: 'EXPENSE', amount: '5555.55', date: '2024-02-01', account: 'usd', category: 'Groceries' },
    { type: 'INCOME', amount: '4444.44', date: '2024-02-29', account: 'usd', category: 'Salary' },
    { type: 'EXPENSE', amount: '66', date: '2024-02-29', account: 'eur' },
    { type: 'EXPENSE', amount: '3.5', date: '2024-02-29', account: 'eur', category: 'Food' },
    { type: 'INCOME', amount: '321', date: '2024-03-01', account: 'eur', category: 'Salary' },
    { type: 'EXPENSE', amount: '123.45', date: '2024-03-15', account: 'usd', category: 'Housing' },
    { type: 'EXPENSE', amount: '250', date: monthStart, account: 'eur', category: 'Housing' },
    { type: 'INCOME', amount: '999', date: seedToday, account: 'usd', category: 'Salary' },
    { type: 'EXPENSE', amount: '1', date: seedToday, account: 'eur', category: 'Dining' },
    { type: 'INCOME', amount: '5', date: nextMonthFirst, account: 'eur', category: 'Other income' },
  ];
  for (const spec of B) await addTx('B', spec);
  await addBudget('B', { amount: '100', period: 'MONTHLY', startDate: '2024-01-01' });
  await addBudget('B', { category: 'Food', amount: '3', period: 'MONTHLY', startDate: '2024-01-01' });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

describe('the test’s own calendar and seed model', () => {
  it('knows the calendar facts the expectations rely on', () => {
    expect(fromDayNumber(0)).toBe('1970-01-01');
    expect(weekday('1970-01-01')).toBe(3); // Thursday
    expect(weekday('2024-01-01')).toBe(0); // Monday
    expect(weekday('2024-02-29')).toBe(3); // Thursday
    expect(weekday('2000-01-01')).toBe(5); // Saturday
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(dayNumber('2025-01-01') - dayNumber('2024-01-01')).toBe(366);
    expect(periodStartOf('WEEK', '2024-01-31')).toBe('2024-01-29');
    expect(periodStartOf('WEEK', '2024-01-07')).toBe('2024-01-01');
    expect(addMonths('2023-12-01', 1)).toBe('2024-01-01');
    expect(lastOfMonth('2024-02-10')).toBe('2024-02-29');
    for (let n = -700_000; n < 800_000; n += 997) expect(dayNumber(fromDayNumber(n))).toBe(n);
  });

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
    expect(bad.code).toBe('BAD_USER_INPUT');
    await checkSpending('A', '2014-03-01', '2024-03-01');
    expect((await errorOf(clients.A, SPENDING, { from: '2014-03-01', to: '2024-03-02' })).code).toBe(
      'BAD_USER_INPUT',
    );
    // Ten years from 28 Feb 2014 end on 28 Feb 2024; the leap day is one day more.
    await checkSpending('A', '2014-02-28', '2024-02-28');
    // From a leap day: its anniversary in a common year is 28 Feb (as for yearly budgets), so
    // 1 Mar ten years on is one day too many.
    await checkSpending('A', '2016-02-29', '2026-02-28');
    for (const to of ['2026-03-01', '2026-03-02']) {
      expect((await errorOf(clients.A, SPENDING, { from: '2016-02-29', to })).code).toBe('BAD_USER_INPUT');
    }
    expect((await errorOf(clients.A, SPENDING, { from: '2014-02-28', to: '2024-02-29' })).code).toBe(
      'BAD_USER_INPUT',
    );
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
    ).toBe('BAD_USER_INPUT');
  });

  it('refuses from > to and ranges over 10 years, allows exactly 10 years', async () => {
    for (const interval of ['DAY', 'WEEK', 'MONTH'] as const) {
      const reversed = await errorOf(clients.A, CASHFLOW, { from: '2024-02-02', to: '2024-02-01', interval });
      expect(reversed.code, interval).toBe('BAD_USER_INPUT');
    }
    const weeks = await checkCashflow('A', '2014-03-01', '2024-03-01', 'WEEK');
    expect(weeks.length).toBeGreaterThan(500);
    const months = await checkCashflow('A', '2014-03-01', '2024-03-01', 'MONTH');
    expect(months.length).toBe(121);
    for (const interval of ['WEEK', 'MONTH'] as const) {
      const long = await errorOf(clients.A, CASHFLOW, { from: '2014-03-01', to: '2024-03-02', interval });
      expect(long.code, interval).toBe('BAD_USER_INPUT');
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
      expect((await errorOf(server.client(), query, variables)).code, name).toBe('UNAUTHENTICATED');
      expect((await errorOf(server.client('not-a-token'), query, variables)).code, name).toBe(
        'UNAUTHENTICATED',
      );
    }
  });

  it('refuses impossible months and dates with BAD_USER_INPUT', async () => {
    for (const month of ['2024-13', '2024-00', '2024-2', '2024-02-01']) {
      expect((await errorOf(clients.A, MONTHLY, { month })).code, month).toBe('BAD_USER_INPUT');
    }
    for (const from of ['2024-02-30', '2023-02-29', '2024-1-01']) {
      expect((await errorOf(clients.A, SPENDING, { from, to: '2024-03-31' })).code, from).toBe(
        'BAD_USER_INPUT',
      );
      const flow = await errorOf(clients.A, CASHFLOW, { from, to: '2024-03-31', interval: 'DAY' });
      expect(flow.code, from).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses an invalid currency with BAD_USER_INPUT on field currency', async () => {
    for (const currency of ['XYZ', 'US', 'USDD', 'EURO', '', 'us d', '123']) {
      for (const [name, query, variables] of queries) {
        const error = await errorOf(clients.A, query, { ...variables, currency });
        expect(error, `${name} currency ${JSON.stringify(currency)}`).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'currency',
        });
      }
    }
  });
});
