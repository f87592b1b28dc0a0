import type { EntityManager } from '@mikro-orm/postgresql';
import { formatDate } from '../../calendar/dates.js';
import type { AppServices } from '../../context.js';
import { inRetryingTransaction } from '../../db/retrying-transaction.js';
import { AppError } from '../../errors/app-error.js';
import { publishTransactionChange } from '../transactions/transaction-changes.js';
import type { TransactionType } from '../transactions/transaction.entity.js';
import type { TransactionRow } from '../transactions/transaction-row.js';
import { TransactionService } from '../transactions/transaction.service.js';
import { occurrenceDate, type Frequency } from './schedule.js';

/** What materializing needs of the app: the database, the clock, where writes are told. */
export type MaterializeDeps = Pick<AppServices, 'orm' | 'clock' | 'pubSub' | 'log' | 'metrics'>;

export interface TickResult {
  /** Occurrences that made their transaction. */
  materialized: number;
  /** Occurrences passed without one: skipped by the user, or already handled elsewhere. */
  passed: number;
  /** Occurrences whose transaction was refused (e.g. an archived account): recorded, then passed. */
  failed: number;
}

/** At most this many occurrences of one schedule per visit, so one schedule cannot hog a tick. */
export const PER_SCHEDULE_VISIT = 50;

/** Today (UTC) by the injected clock. */
export const todayBy = (deps: Pick<AppServices, 'clock'>): string => formatDate(new Date(deps.clock.now()));

interface ScheduleColumns {
  id: string;
  user_id: string;
  frequency: Frequency;
  interval: number;
  start_date: string;
  day_of_month: number | null;
  end_date: string | null;
  count: number | null;
  type: TransactionType;
  amount: string;
  account_id: string;
  transfer_account_id: string | null;
  category_id: string | null;
  description: string | null;
  tags: string[];
  next_index: number;
  next_date: string;
}

/**
 * Materializes due occurrences (dated today or earlier by the clock), at most `limit` in all:
 * the schedules least recently advanced first, each at most PER_SCHEDULE_VISIT at a time, so a
 * schedule far behind catches up over several ticks without holding back the others. With
 * `scheduleId`, only that schedule's.
 *
 * Each occurrence is one database transaction: lock the schedule's row (skipping it when another
 * instance holds it: that one is at work on it), insert the occurrence's key (schedule, date)
 * with `on conflict do nothing`, write its transaction through TransactionService.createWithin
 * (balances, totals, rules, budgets as for createTransaction), advance the schedule's cursor.
 * Exactly once comes from that key, not from the lock or the timing: a second writer of the same
 * occurrence, on any server, waits on the key, finds it taken, and writes nothing.
 */
export async function materializeDue(
  deps: MaterializeDeps,
  options: { limit: number; scheduleId?: string },
): Promise<TickResult> {
  const today = todayBy(deps);
  const result: TickResult = { materialized: 0, passed: 0, failed: 0 };
  const em = deps.orm.em.fork() as EntityManager;
  const due = await em.execute<{ id: string }[]>(
    `select id from recurring_transactions where next_date <= ? ${options.scheduleId ? 'and id = ?' : ''}
     order by updated_at, id limit ?`,
    [today, ...(options.scheduleId ? [options.scheduleId] : []), options.limit],
  );
  let budget = options.limit;
  for (const { id } of due) {
    if (budget <= 0) break;
    const visit = Math.min(budget, options.scheduleId ? options.limit : PER_SCHEDULE_VISIT);
    for (let done = 0; done < visit; done++) {
      let outcome: Outcome | null;
      try {
        outcome = await materializeNext(deps, id, today);
      } catch (error) {
        deps.log.warn({ err: error, scheduleId: id }, 'materializing a recurring transaction failed');
        break;
      }
      if (!outcome) break;
      budget--;
      result[outcome.kind]++;
      if (outcome.kind === 'materialized') {
        publishTransactionChange(
          deps.pubSub,
          deps.log,
          outcome.userId,
          'CREATED',
          outcome.row.id,
          outcome.row.affected ?? [],
        );
        await outcome.afterCommit();
      }
    }
  }
  if (result.materialized + result.failed > 0)
    deps.log.info({ ...result }, 'recurring transactions materialized');
  return result;
}

type Outcome =
  | { kind: 'materialized'; userId: string; row: TransactionRow; afterCommit: () => Promise<void> }
  | { kind: 'passed' | 'failed' };

/** The schedule's next occurrence, when due and the schedule is not busy elsewhere; null otherwise. */
async function materializeNext(deps: MaterializeDeps, id: string, today: string): Promise<Outcome | null> {
  const em = deps.orm.em.fork() as EntityManager;
  return inRetryingTransaction(em, async (tem) => {
    const [schedule] = await tem.execute<ScheduleColumns[]>(
      `select id, user_id, frequency, interval, start_date::text, day_of_month, end_date::text, count, type,
         amount::text, account_id, transfer_account_id, category_id, description, tags, next_index,
         next_date::text
       from recurring_transactions where id = ? and next_date <= ? for update skip locked`,
      [id, today],
    );
    if (!schedule) return null;
    const date = schedule.next_date;
    const claimed = await tem.execute<{ schedule_id: string }[]>(
      `insert into recurring_occurrences (schedule_id, occurrence_date) values (?, ?)
       on conflict do nothing returning schedule_id`,
      [id, date],
    );
    let outcome: Outcome = { kind: 'passed' };
    if (claimed.length > 0) outcome = await writeOccurrence(deps, em, tem, schedule);
    const rule = {
      frequency: schedule.frequency,
      interval: schedule.interval,
      startDate: schedule.start_date,
      dayOfMonth: schedule.day_of_month,
      endDate: schedule.end_date,
      count: schedule.count,
    };
    const nextIndex = schedule.next_index + 1;
    await tem.execute(
      `update recurring_transactions set next_index = ?, next_date = ?, done_through = ?, updated_at = now()
       where id = ?`,
      [nextIndex, occurrenceDate(rule, nextIndex) ?? null, date, id],
    );
    return outcome;
  });
}

/**
 * The occurrence's transaction, with its edit applied, written in the claiming transaction. A
 * refusal of the write (an archived account, a balance out of range) is recorded on the
 * occurrence, rolled back to before the write, and passed: the schedule goes on.
 */
async function writeOccurrence(
  deps: MaterializeDeps,
  /** Outside the transaction: alerts are evaluated with it once that has committed. */
  outside: EntityManager,
  em: EntityManager,
  schedule: ScheduleColumns,
): Promise<Outcome> {
  const date = schedule.next_date;
  const [edit] = await em.execute<
    { amount: string | null; description: string | null; category_id: string | null; date: string | null }[]
  >(
    `select amount::text, description, category_id, date::text from recurring_occurrence_edits
     where schedule_id = ? and occurrence_date = ?`,
    [schedule.id, date],
  );
  const service = new TransactionService(outside, schedule.user_id, deps, deps.log);
  await em.execute('savepoint occurrence_write');
  try {
    const { row, afterCommit } = await service.createWithin(em, {
      type: schedule.type,
      amount: edit?.amount ?? schedule.amount,
      date: edit?.date ?? date,
      accountId: schedule.account_id,
      transferAccountId: schedule.transfer_account_id,
      categoryId: edit?.category_id ?? schedule.category_id,
      description: edit?.description ?? schedule.description,
      tags: schedule.tags,
    });
    await em.execute('release savepoint occurrence_write');
    await em.execute(
      'update recurring_occurrences set transaction_id = ? where schedule_id = ? and occurrence_date = ?',
      [row.id, schedule.id, date],
    );
    return { kind: 'materialized', userId: schedule.user_id, row, afterCommit };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await em.execute('rollback to savepoint occurrence_write');
    await em.execute(
      'update recurring_occurrences set failure = ? where schedule_id = ? and occurrence_date = ?',
      [error.message, schedule.id, date],
    );
    deps.log.warn(
      { scheduleId: schedule.id, occurrenceDate: date, reason: error.message },
      'a recurring transaction was refused; the occurrence is passed',
    );
    return { kind: 'failed' };
  }
}
