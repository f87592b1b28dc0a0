import type { EntityManager } from '@mikro-orm/postgresql';
import { today } from '../../calendar/dates.js';
import { formatCents, toCents } from '../../money/money.js';
import { BudgetService } from '../budgets/budget.service.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from '../transactions/transaction-row.js';
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
export async function recentTransactions(
  em: EntityManager,
  userId: string,
  currency: string,
  first: number,
): Promise<TransactionRow[]> {
  const rows = await em.execute<TransactionColumns[]>(
    `select ${TRANSACTION_COLUMNS} from transactions t join accounts a on a.id = t.account_id
     where t.user_id = ? and a.currency = ?
     order by t.date desc, t.created_at desc, t.id desc limit ?`,
    [userId, currency, first],
  );
  return rows.map(toTransactionRow);
}
