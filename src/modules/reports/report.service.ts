import type { EntityManager } from '@mikro-orm/postgresql';
import { isISO4217CurrencyCode } from 'class-validator';
import { badInput } from '../../errors/app-error.js';
import { daysInMonth, today } from '../../calendar/dates.js';
import { formatCents, toCents } from '../../money/money.js';
import { BudgetService } from '../budgets/budget.service.js';
import { Transaction } from '../transactions/transaction.entity.js';
import { User } from '../users/user.entity.js';
import { countPeriods, exceedsMaxRange, MAX_CASHFLOW_POINTS, MAX_RANGE_YEARS } from './report-ranges.js';
import {
  Interval,
  type BudgetVsActual,
  type CashflowPoint,
  type CategoryAmount,
  type Dashboard,
  type MonthlyReport,
} from './report.types.js';

export const MAX_RECENT = 100;

interface CategoryTotal {
  type: 'INCOME' | 'EXPENSE';
  category_id: string | null;
  total: string;
  count: number;
}

/**
 * Reports over the caller's accounts in one currency, each a SQL aggregate (GROUP BY,
 * date_trunc, generate_series); transactions are never loaded into JS. Transfers are neither
 * income nor expenses.
 */
export class ReportService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  /** The requested currency (ISO 4217, upper-cased) or the user's. */
  async currency(requested: string | null | undefined): Promise<string> {
    if (requested == null) return (await this.em.findOneOrFail(User, { id: this.userId })).currency;
    if (!isISO4217CurrencyCode(requested)) {
      throw badInput('currency', 'currency must be an ISO 4217 currency code such as USD');
    }
    return requested.toUpperCase();
  }

  async monthlyReport(currency: string, month: string): Promise<MonthlyReport> {
    const { from, to } = monthRange(month);
    const totals = await this.categoryTotals(currency, from, to);
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
      // Each budget in its period containing the month's first day.
      budgets: await this.budgetsOn(from),
    };
  }

  /** This month is the calendar month of today (UTC); recentTransactions is resolved separately. */
  async dashboard(currency: string): Promise<Dashboard> {
    const { from, to } = monthRange(today().slice(0, 7));
    const totals = await this.categoryTotals(currency, from, to);
    return {
      currency,
      totalBalance: await this.totalBalance(currency),
      incomeThisMonth: formatCents(sumOf(totals, 'INCOME')),
      expensesThisMonth: formatCents(sumOf(totals, 'EXPENSE')),
      budgets: await this.budgetsOn(today()),
    };
  }

  /** Income and expense totals per category in [from, to]. */
  private async categoryTotals(currency: string, from: string, to: string): Promise<CategoryTotal[]> {
    return this.em.execute<CategoryTotal[]>(
      `select t.type, t.category_id, sum(t.amount)::text as total, count(*)::int as count
       from transactions t join accounts a on a.id = t.account_id
       where t.user_id = ? and a.currency = ? and t.type in ('INCOME', 'EXPENSE') and t.date between ? and ?
       group by t.type, t.category_id`,
      [this.userId, currency, from, to],
    );
  }

  async spendingByCategory(currency: string, from: string, to: string): Promise<CategoryAmount[]> {
    checkRange(from, to);
    return byCategory(await this.categoryTotals(currency, from, to), 'EXPENSE');
  }

  async cashflow(currency: string, from: string, to: string, interval: Interval): Promise<CashflowPoint[]> {
    checkRange(from, to);
    if (countPeriods(from, to, interval) > MAX_CASHFLOW_POINTS) {
      throw badInput('interval', `The range has more than ${MAX_CASHFLOW_POINTS} ${interval} periods`);
    }
    const unit = interval.toLowerCase();
    const rows = await this.em.execute<{ period_start: string; income: string; expenses: string }[]>(
      `with periods as (
         select generate_series(
           date_trunc(?, ?::timestamp), date_trunc(?, ?::timestamp), ('1 ' || ?)::interval
         )::date as period_start
       ),
       counted as (
         select date_trunc(?, t.date::timestamp)::date as period_start, t.type, t.amount
         from transactions t join accounts a on a.id = t.account_id
         where t.user_id = ? and a.currency = ? and t.type in ('INCOME', 'EXPENSE') and t.date between ? and ?
       )
       select p.period_start::text as period_start,
              coalesce(sum(c.amount) filter (where c.type = 'INCOME'), 0)::text as income,
              coalesce(sum(c.amount) filter (where c.type = 'EXPENSE'), 0)::text as expenses
       from periods p left join counted c on c.period_start = p.period_start
       group by p.period_start
       order by p.period_start`,
      [unit, from, unit, to, unit, unit, this.userId, currency, from, to],
    );
    return rows.map((row) => {
      const income = toCents(row.income);
      const expenses = toCents(row.expenses);
      return {
        periodStart: row.period_start,
        income: formatCents(income),
        expenses: formatCents(expenses),
        net: formatCents(income - expenses),
      };
    });
  }

  private async totalBalance(currency: string): Promise<string> {
    const [row] = await this.em.execute<{ total: string }[]>(
      'select coalesce(sum(balance), 0)::text as total from accounts where user_id = ? and currency = ? and not archived',
      [this.userId, currency],
    );
    return formatCents(toCents(row!.total));
  }

  /** Newest first: by date, then by createdAt (then id, so the order is total). */
  recentTransactions(currency: string, first: number): Promise<Transaction[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_RECENT) {
      throw badInput('first', `first must be between 1 and ${MAX_RECENT}`);
    }
    return this.em.find(
      Transaction,
      { user: this.userId, account: { currency } },
      { orderBy: { date: 'desc', createdAt: 'desc', id: 'desc' }, limit: first },
    );
  }

  /** Every budget with its status for the period containing `date`. */
  private budgetsOn(date: string): Promise<BudgetVsActual[]> {
    return new BudgetService(this.em, this.userId).statusesOn(date);
  }
}

/** Income or expense amounts by category: share of the type's sum, largest first. */
function byCategory(totals: CategoryTotal[], type: 'INCOME' | 'EXPENSE'): CategoryAmount[] {
  const rows = totals
    .filter((row) => row.type === type)
    .map((row) => ({ ...row, cents: toCents(row.total) }));
  const sum = rows.reduce((acc, row) => acc + row.cents, 0n);
  return rows
    .sort((a, b) =>
      a.cents === b.cents
        ? (a.category_id ?? '').localeCompare(b.category_id ?? '')
        : a.cents > b.cents
          ? -1
          : 1,
    )
    .map((row) => ({
      categoryId: row.category_id,
      total: formatCents(row.cents),
      count: row.count,
      share: sum === 0n ? 0 : Number(row.cents) / Number(sum),
    }));
}

/** Positive sum of one type's totals. */
function sumOf(totals: CategoryTotal[], type: 'INCOME' | 'EXPENSE'): bigint {
  return totals.filter((row) => row.type === type).reduce((acc, row) => acc + toCents(row.total), 0n);
}

function monthRange(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: `${month}-${String(daysInMonth(year, monthNumber)).padStart(2, '0')}` };
}

function checkRange(from: string, to: string): void {
  if (from > to) throw badInput('to', 'to must not be before from');
  if (exceedsMaxRange(from, to)) {
    throw badInput('to', `The range must not be longer than ${MAX_RANGE_YEARS} years`);
  }
}
