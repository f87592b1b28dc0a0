import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, MAX_DATE, monthStart, nextMonthStart, parseDate } from '../../calendar/dates.js';
import { SqlParams } from '../../db/sql-params.js';
import { badInput } from '../../errors/app-error.js';
import { formatCents, toCents } from '../../money/money.js';
import { segmentSums, segmentTable } from '../ledger/total-ranges.js';
import { Interval } from './interval.js';
import { incomeAndExpensesIn } from './report-currency.js';
import { checkRange, countPeriods, MAX_CASHFLOW_POINTS } from './report-ranges.js';
import type { CashflowPoint } from './report.types.js';

/**
 * Income, expenses and net per DAY, WEEK (from Monday) or MONTH, from the period containing
 * `from` to the one containing `to`, zeros included, counting only [from, to]: one SQL
 * aggregate of the running totals (ledger/totals.ts) over the periods' days.
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
  const periods = periodsOf(from, to, interval);
  const params = new SqlParams('question');
  const rows = await em.execute<{ idx: number; income: string; expenses: string }[]>(
    `select s.idx,
            coalesce(sum(sums.amount) filter (where sums.type = 'INCOME'), 0)::text as income,
            coalesce(sum(sums.amount) filter (where sums.type = 'EXPENSE'), 0)::text as expenses
     from ${segmentTable(periods, params)}
     left join ${segmentSums(userId, params, incomeAndExpensesIn(userId, currency), ['type'])} as sums on true
     group by s.idx`,
    params.values,
  );
  const byIndex = new Map(rows.map((row) => [Number(row.idx), row]));
  return periods.map((period, index) => {
    const row = byIndex.get(index + 1);
    const income = toCents(row?.income ?? '0');
    const expenses = toCents(row?.expenses ?? '0');
    return {
      periodStart: period.start,
      income: formatCents(income),
      expenses: formatCents(expenses),
      net: formatCents(income - expenses),
    };
  });
}

/** Each period touching [from, to]: its start, and the days of it inside [from, to]. */
function periodsOf(
  from: string,
  to: string,
  interval: Interval,
): { start: string; from: string; to: string }[] {
  const periods: { start: string; from: string; to: string }[] = [];
  let start = periodStart(from, interval);
  while (start <= to) {
    const next = nextStart(start, interval);
    const last = next === undefined || next > to ? to : addDays(next, -1);
    periods.push({ start, from: start < from ? from : start, to: last });
    if (next === undefined) break;
    start = next;
  }
  return periods;
}

/** The DAY, WEEK (Monday) or MONTH containing `date`. */
function periodStart(date: string, interval: Interval): string {
  if (interval === Interval.MONTH) return monthStart(date);
  if (interval === Interval.WEEK) return addDays(date, -((parseDate(date).getUTCDay() + 6) % 7));
  return date;
}

/** The start of the following period; undefined past the supported range. */
function nextStart(start: string, interval: Interval): string | undefined {
  if (interval === Interval.MONTH) return nextMonthStart(start);
  return start > addDays(MAX_DATE, interval === Interval.WEEK ? -7 : -1)
    ? undefined
    : addDays(start, interval === Interval.WEEK ? 7 : 1);
}
