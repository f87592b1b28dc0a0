import type { EntityManager } from '@mikro-orm/postgresql';
import { daysInMonth } from '../../calendar/dates.js';
import { formatCents } from '../../money/money.js';
import { BudgetService } from '../budgets/budget.service.js';
import { byCategory, categoryTotals, sumOf } from './category-totals.js';
import type { MonthlyReport } from './report.types.js';

/** Income, expenses and net of a month, by category, with each budget in its period on the 1st. */
export async function monthlyReport(
  em: EntityManager,
  userId: string,
  currency: string,
  month: string,
): Promise<MonthlyReport> {
  const { from, to } = monthRange(month);
  const totals = await categoryTotals(em, userId, currency, from, to);
  const income = sumOf(totals, 'INCOME');
  const expenses = sumOf(totals, 'EXPENSE');
  return {
    month,
    currency,
    income: formatCents(income),
    expenses: formatCents(expenses),
    net: formatCents(income - expenses),
    incomeByCategory: byCategory(totals, 'INCOME'),
    expensesByCategory: byCategory(totals, 'EXPENSE'),
    budgets: await new BudgetService(em, userId).statusesOn(from),
  };
}

/** The first and last days of "YYYY-MM". */
export function monthRange(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: `${month}-${String(daysInMonth(year, monthNumber)).padStart(2, '0')}` };
}
