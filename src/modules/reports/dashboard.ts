import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../calendar/dates.js';
import { formatCents, toCents } from '../../money/money.js';
import { BudgetService } from '../budgets/budget.service.js';
import { Transaction } from '../transactions/transaction.entity.js';
import { categoryTotals, sumOf } from './category-totals.js';
import { monthRange } from './monthly-report.js';
import type { Dashboard } from './report.types.js';

/** This calendar month is the month of today (UTC); recentTransactions is resolved separately. */
export async function dashboard(em: EntityManager, userId: string, currency: string): Promise<Dashboard> {
  const { from, to } = monthRange(today().slice(0, 7));
  const totals = await categoryTotals(em, userId, currency, from, to);
  return {
    currency,
    totalBalance: await totalBalance(em, userId, currency),
    incomeThisMonth: formatCents(sumOf(totals, 'INCOME')),
    expensesThisMonth: formatCents(sumOf(totals, 'EXPENSE')),
    budgets: await new BudgetService(em, userId).statusesOn(today()),
  };
}

async function totalBalance(em: EntityManager, userId: string, currency: string): Promise<string> {
  const [row] = await em.execute<{ total: string }[]>(
    'select coalesce(sum(balance), 0)::text as total from accounts where user_id = ? and currency = ? and not archived',
    [userId, currency],
  );
  return formatCents(toCents(row!.total));
}

/** Newest first: by date, then by createdAt (then id, so the order is total). */
export function recentTransactions(
  em: EntityManager,
  userId: string,
  currency: string,
  first: number,
): Promise<Transaction[]> {
  return em.find(
    Transaction,
    { user: userId, account: { currency } },
    { orderBy: { date: 'desc', createdAt: 'desc', id: 'desc' }, limit: first },
  );
}
