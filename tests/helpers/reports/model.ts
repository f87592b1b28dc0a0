import {
  expectedStatus as budgetStatus,
  type BudgetStatus,
  type PeriodKind,
  type Span,
} from '../model/budget.js';
import { addDays, addMonths, firstOfMonth, weekday } from '../model/calendar.js';
import { balancesOf, type TxType } from '../model/ledger.js';
import { money } from '../model/money.js';

/*
 * The reports' seed as the tests model it (tests/helpers/reports/seed.ts writes it), and every
 * figure of every report computed from it alone: money as BigInt cents, calendar arithmetic on
 * day numbers, budget periods from the contract's wording (tests/helpers/model/).
 */

export type Interval = 'DAY' | 'WEEK' | 'MONTH';

export function periodStartOf(interval: Interval, date: string): string {
  if (interval === 'DAY') return date;
  if (interval === 'WEEK') return addDays(date, -weekday(date));
  return firstOfMonth(date);
}

function nextPeriodStart(interval: Interval, start: string): string {
  if (interval === 'DAY') return addDays(start, 1);
  if (interval === 'WEEK') return addDays(start, 7);
  return addMonths(start, 1);
}

export type Owner = 'A' | 'B';
export type Kind = 'INCOME' | 'EXPENSE';

export interface AccountModel {
  id: string;
  owner: Owner;
  currency: string;
  opening: bigint;
  archived: boolean;
}
export interface CategoryModel {
  id: string;
  owner: Owner;
  name: string;
  kind: Kind;
  parentId: string | null;
}
export interface TxModel {
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
export interface BudgetModel {
  id: string;
  owner: Owner;
  categoryId: string | null;
  amount: bigint;
  period: PeriodKind;
  startDate: string;
  rollover: boolean;
}

export const accounts = new Map<string, AccountModel>();
export const categories = new Map<string, CategoryModel>();
export const txs = new Map<string, TxModel>();
export const budgets = new Map<string, BudgetModel>();
export const userCurrency: Record<Owner, string> = { A: 'USD', B: 'EUR' };

// ---------------------------------------------------------------------------------------------
// Expected figures, computed from the model only.
// ---------------------------------------------------------------------------------------------

export const currencyOf = (tx: TxModel): string => accounts.get(tx.accountId)!.currency;
export const txsIn = (owner: Owner, currency: string): TxModel[] =>
  [...txs.values()].filter((tx) => tx.owner === owner && currencyOf(tx) === currency);

export interface Total {
  total: bigint;
  count: number;
}

export function totalsByCategory(
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

export const sumTotals = (totals: Map<string | null, Total>): bigint =>
  [...totals.values()].reduce((acc, t) => acc + t.total, 0n);

/** The account's balance by the ledger model. */
export function balanceOf(accountId: string): bigint {
  const openings = new Map([...accounts.values()].map((a) => [a.id, a.opening]));
  return balancesOf(openings, txs.values()).get(accountId)!;
}

export function totalBalance(owner: Owner, currency: string, includeArchived = false): bigint {
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

/** The budget status of the period containing `date`, from the model. */
export function expectedStatus(budget: BudgetModel, date: string): BudgetStatus {
  return budgetStatus(budget, date, (span) => budgetSpent(budget, span));
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

interface ExpectedPoint {
  periodStart: string;
  income: string;
  expenses: string;
  net: string;
}

export function expectedCashflow(
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
