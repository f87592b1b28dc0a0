import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../errors/app-error.js';
import { formatCents, toCents } from '../../money/money.js';
import type { Interval } from './interval.js';
import { checkRange, countPeriods, MAX_CASHFLOW_POINTS } from './report-ranges.js';
import type { CashflowPoint } from './report.types.js';

/**
 * Income, expenses and net per DAY, WEEK (from Monday) or MONTH, from the period containing
 * `from` to the one containing `to`, zeros included: one SQL aggregate over generate_series.
 */
export async function cashflow(
  em: EntityManager,
  userId: string,
  currency: string,
  from: string,
  to: string,
  interval: Interval,
): Promise<CashflowPoint[]> {
  checkRange(from, to);
  if (countPeriods(from, to, interval) > MAX_CASHFLOW_POINTS) {
    throw badInput('interval', `The range has more than ${MAX_CASHFLOW_POINTS} ${interval} periods`);
  }
  const unit = interval.toLowerCase();
  const rows = await em.execute<{ period_start: string; income: string; expenses: string }[]>(
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
    [unit, from, unit, to, unit, unit, userId, currency, from, to],
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
