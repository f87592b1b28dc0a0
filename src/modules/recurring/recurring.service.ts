import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MAX_DATE, addDays } from '../../calendar/dates.js';
import { canonicalId, isUuid } from '../../db/ids.js';
import { findOwned } from '../../db/find-owned.js';
import { badInput, notFound } from '../../errors/app-error.js';
import { assertBelowLimit } from '../../limits/user-limits.js';
import { formatMoney, isPositive } from '../../money/money.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import { specForCreate } from '../transactions/transaction-spec.js';
import { RecurringFrequency, RecurringTransaction } from './recurring.entity.js';
import {
  MAX_BACKFILL_DAYS,
  type CreateRecurringTransactionInput,
  type OccurrenceEditInput,
  type UpdateRecurringTransactionInput,
} from './recurring.inputs.js';
import {
  indexOnOrAfter,
  occurrenceDate,
  occurrenceIndex,
  occurrencesUpTo,
  type ScheduleRule,
} from './schedule.js';
import type { UpcomingOccurrence } from './upcoming.type.js';

/** A schedule's stored fields, checked and normalized, before anything is written. */
type ScheduleFields = Pick<
  RecurringTransaction,
  | 'frequency'
  | 'interval'
  | 'startDate'
  | 'dayOfMonth'
  | 'endDate'
  | 'count'
  | 'type'
  | 'amount'
  | 'description'
  | 'tags'
> & { accountId: string; transferAccountId: string | null; categoryId: string | null };

export const ruleOf = (schedule: Pick<RecurringTransaction, keyof ScheduleRule>): ScheduleRule => ({
  frequency: schedule.frequency,
  interval: schedule.interval,
  startDate: schedule.startDate,
  dayOfMonth: schedule.dayOfMonth,
  endDate: schedule.endDate,
  count: schedule.count,
});

/**
 * The caller's recurring transactions: every id given (a schedule, an account, a category) must
 * be the caller's, and another user's is NOT_FOUND like one that does not exist. Everything is
 * checked before anything is written. Changes to a schedule and its occurrences lock the
 * schedule's row, as the ticker does while it materializes one, so the two take turns.
 */
export class RecurringService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
    /** Today (UTC), from the injected clock. */
    private readonly today: string,
  ) {}

  list(): Promise<RecurringTransaction[]> {
    return this.em.find(
      RecurringTransaction,
      { user: this.userId },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  get(id: string): Promise<RecurringTransaction> {
    return findOwned(this.em, RecurringTransaction, id, this.userId, 'RecurringTransaction');
  }

  /** Refused past `max` schedules (MAX_RECURRING). */
  async create(input: CreateRecurringTransactionInput, max: number): Promise<RecurringTransaction> {
    const fields = await this.checked(
      {
        frequency: input.frequency,
        interval: input.interval ?? 1,
        startDate: input.startDate,
        dayOfMonth: input.dayOfMonth ?? null,
        endDate: input.endDate ?? null,
        count: input.count ?? null,
        type: input.type,
        amount: input.amount,
        accountId: input.accountId,
        transferAccountId: input.transferAccountId ?? null,
        categoryId: input.categoryId ?? null,
        description: input.description ?? null,
        tags: input.tags ?? [],
      },
      true,
    );
    return this.em.transactional(async (em) => {
      await assertBelowLimit(em, this.userId, 'recurring_transactions', max);
      const { accountId, transferAccountId, categoryId, ...rest } = fields;
      return em.create(RecurringTransaction, {
        ...rest,
        user: this.userId,
        account: accountId,
        transferAccount: transferAccountId,
        category: categoryId,
        nextIndex: 0,
        nextDate: occurrenceDate(ruleOf(fields), 0) ?? null,
      });
    });
  }

  async update(id: string, input: UpdateRecurringTransactionInput): Promise<RecurringTransaction> {
    const current = await this.get(id);
    const frequency = input.frequency ?? current.frequency;
    const keep = <K extends keyof UpdateRecurringTransactionInput, T>(key: K, value: T) =>
      input[key] !== undefined ? (input[key] as T) : value;
    const type = input.type ?? current.type;
    const fields = await this.checked(
      {
        frequency,
        interval: input.interval ?? current.interval,
        startDate: input.startDate ?? current.startDate,
        // Another frequency than MONTHLY has no day of month: the stored one goes.
        dayOfMonth:
          input.dayOfMonth !== undefined
            ? input.dayOfMonth
            : frequency === RecurringFrequency.MONTHLY
              ? current.dayOfMonth
              : null,
        endDate: keep('endDate', current.endDate),
        count: keep('count', current.count),
        type,
        amount: input.amount ?? current.amount,
        accountId: input.accountId ?? current.account.id,
        transferAccountId:
          type === TransactionType.TRANSFER
            ? (input.transferAccountId ?? current.transferAccount?.id ?? null)
            : (input.transferAccountId ?? null),
        categoryId:
          type === TransactionType.TRANSFER
            ? (input.categoryId ?? null)
            : keep('categoryId', current.category?.id ?? null),
        description: keep('description', current.description),
        tags: input.tags ?? current.tags,
      },
      input.startDate != null && input.startDate !== current.startDate,
    );
    return this.em.transactional(async (em) => {
      const schedule = await em.findOneOrFail(
        RecurringTransaction,
        { id: current.id, user: this.userId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      const { accountId, transferAccountId, categoryId, ...rest } = fields;
      // The cursor starts again after the last occurrence handled, under the new timing, and
      // never further back than a new schedule may start: extending one that ended long ago
      // (a larger count, a later endDate) does not backdate years of occurrences.
      const rule = ruleOf(fields);
      const handled = schedule.doneThrough === null ? fields.startDate : nextDay(schedule.doneThrough);
      const earliest = addDays(this.today, -MAX_BACKFILL_DAYS);
      const from = handled !== undefined && handled < earliest ? earliest : handled;
      const nextIndex = from === undefined ? 0 : indexOnOrAfter(rule, from);
      em.assign(schedule, {
        ...rest,
        account: accountId,
        transferAccount: transferAccountId,
        category: categoryId,
        nextIndex,
        nextDate: from === undefined ? null : (occurrenceDate(rule, nextIndex) ?? null),
      });
      return schedule;
    });
  }

  /** Deletes the schedule and what it knows of its occurrences; its transactions stay. */
  async delete(id: string): Promise<boolean> {
    const schedule = await this.get(id);
    await this.em.removeAndFlush(schedule);
    return true;
  }

  /** Marks one occurrence not to be materialized (again: nothing more happens). */
  async skip(scheduleId: string, date: string): Promise<UpcomingOccurrence> {
    return this.em.transactional(async (em) => {
      const schedule = await this.pending(em, scheduleId, date);
      await em.execute(
        'delete from recurring_occurrence_edits where schedule_id = ? and occurrence_date = ?',
        [schedule.id, date],
      );
      await em.execute(
        `insert into recurring_occurrences (schedule_id, occurrence_date, skipped) values (?, ?, true)
         on conflict do nothing`,
        [schedule.id, date],
      );
      return occurrenceOf(schedule, date, { skipped: true, edit: null });
    });
  }

  /** Changes one occurrence before it is materialized; fields left out are the schedule's. */
  async edit(scheduleId: string, date: string, input: OccurrenceEditInput): Promise<UpcomingOccurrence> {
    return this.em.transactional(async (em) => {
      const schedule = await this.pending(em, scheduleId, date);
      const amount = input.amount == null ? null : formatMoney(input.amount);
      if (amount !== null && !isPositive(amount)) throw badInput('amount', 'amount must be greater than 0');
      const description = input.description?.trim() || null;
      let categoryId: string | null = null;
      if (input.categoryId != null) {
        if (schedule.type === TransactionType.TRANSFER)
          throw badInput('categoryId', 'A TRANSFER has no category');
        categoryId = await this.checkCategory(em, input.categoryId, schedule.type);
      }
      const edit = { amount, description, categoryId, date: input.date ?? null };
      await em.execute(
        `insert into recurring_occurrence_edits (schedule_id, occurrence_date, amount, description, category_id, date)
         values (?, ?, ?, ?, ?, ?)
         on conflict (schedule_id, occurrence_date) do update set amount = excluded.amount,
           description = excluded.description, category_id = excluded.category_id, date = excluded.date`,
        [schedule.id, date, edit.amount, edit.description, edit.categoryId, edit.date],
      );
      return occurrenceOf(schedule, date, { skipped: false, edit });
    });
  }

  /**
   * The occurrences not yet materialized from each schedule's next one through today + days
   * (so also any due one the ticker has not reached yet), skipped ones included and marked,
   * edits applied; the first `first` by date.
   */
  async upcoming(days: number, first: number): Promise<UpcomingOccurrence[]> {
    const to = addDays(this.today, days) > MAX_DATE ? MAX_DATE : addDays(this.today, days);
    const schedules = await this.em.find(
      RecurringTransaction,
      { user: this.userId, nextDate: { $ne: null, $lte: to } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const due = schedules.flatMap((schedule) =>
      occurrencesUpTo(ruleOf(schedule), schedule.nextIndex, to, first).map(({ date }) => ({
        schedule,
        date,
      })),
    );
    due.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const shown = due.slice(0, first);
    if (shown.length === 0) return [];
    const ids = [...new Set(shown.map(({ schedule }) => schedule.id))];
    const [skips, edits] = await Promise.all([
      this.em.execute<{ schedule_id: string; occurrence_date: string }[]>(
        `select schedule_id, occurrence_date::text from recurring_occurrences
         where schedule_id in (?) and occurrence_date <= ? and skipped`,
        [ids, to],
      ),
      this.em.execute<
        {
          schedule_id: string;
          occurrence_date: string;
          amount: string | null;
          description: string | null;
          category_id: string | null;
          date: string | null;
        }[]
      >(
        `select schedule_id, occurrence_date::text, amount::text, description, category_id, date::text
         from recurring_occurrence_edits where schedule_id in (?) and occurrence_date <= ?`,
        [ids, to],
      ),
    ]);
    const skipped = new Set(skips.map((row) => `${row.schedule_id}/${row.occurrence_date}`));
    const edited = new Map(edits.map((row) => [`${row.schedule_id}/${row.occurrence_date}`, row]));
    return shown.map(({ schedule, date }) => {
      const key = `${schedule.id}/${date}`;
      const edit = edited.get(key);
      return occurrenceOf(schedule, date, {
        skipped: skipped.has(key),
        edit: edit
          ? {
              amount: edit.amount,
              description: edit.description,
              categoryId: edit.category_id,
              date: edit.date,
            }
          : null,
      });
    });
  }

  /**
   * The caller's schedule, row-locked, when `date` is one of its occurrences not yet
   * materialized or skipped; else NOT_FOUND (the schedule) or BAD_USER_INPUT on date.
   */
  private async pending(em: EntityManager, scheduleId: string, date: string): Promise<RecurringTransaction> {
    if (!isUuid(scheduleId)) throw notFound('RecurringTransaction');
    const schedule = await em.findOne(
      RecurringTransaction,
      { id: canonicalId(scheduleId), user: this.userId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!schedule) throw notFound('RecurringTransaction');
    const index = occurrenceIndex(ruleOf(schedule), date);
    if (index === undefined) throw badInput('date', `${date} is not an occurrence of this schedule`);
    const [handled] = await em.execute<{ skipped: boolean }[]>(
      'select skipped from recurring_occurrences where schedule_id = ? and occurrence_date = ?',
      [schedule.id, date],
    );
    if ((handled && !handled.skipped) || (schedule.doneThrough !== null && date <= schedule.doneThrough)) {
      throw badInput(
        'date',
        `The occurrence of ${date} is already materialized: change its transaction instead`,
      );
    }
    if (handled?.skipped) throw badInput('date', `The occurrence of ${date} is skipped`);
    return schedule;
  }

  /** `given` normalized, or the first problem as BAD_USER_INPUT (NOT_FOUND for an id). */
  private async checked(given: ScheduleFields, newStart: boolean): Promise<ScheduleFields> {
    if (newStart && given.startDate < addDays(this.today, -MAX_BACKFILL_DAYS)) {
      throw badInput('startDate', `startDate must be at most ${MAX_BACKFILL_DAYS} days before today`);
    }
    if (given.endDate !== null && given.endDate < given.startDate)
      throw badInput('endDate', 'endDate must not be before startDate');
    if (given.dayOfMonth !== null && given.frequency !== RecurringFrequency.MONTHLY)
      throw badInput('dayOfMonth', 'dayOfMonth is for MONTHLY schedules only');
    // The transaction's own rules (amount > 0, a transfer's other account and no category).
    const spec = specForCreate({
      type: given.type,
      amount: given.amount,
      date: given.startDate,
      accountId: given.accountId,
      transferAccountId: given.transferAccountId,
      categoryId: given.categoryId,
      description: given.description,
      tags: given.tags,
    });
    await this.checkAccounts(spec.accountId, spec.transferAccountId);
    const categoryId =
      spec.categoryId === null ? null : await this.checkCategory(this.em, spec.categoryId, spec.type);
    return {
      ...given,
      amount: spec.amount,
      accountId: spec.accountId,
      transferAccountId: spec.transferAccountId,
      categoryId,
      description: spec.description,
      tags: spec.tags,
    };
  }

  /** The caller's accounts, not archived; a transfer's two of one currency. */
  private async checkAccounts(accountId: string, transferAccountId: string | null): Promise<void> {
    const ids = [accountId, transferAccountId].filter((id): id is string => id !== null);
    if (!ids.every(isUuid)) throw notFound('Account');
    const rows = await this.em.execute<{ id: string; currency: string; archived: boolean }[]>(
      'select id, currency, archived from accounts where user_id = ? and id in (?)',
      [this.userId, ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [field, id] of [
      ['accountId', accountId],
      ['transferAccountId', transferAccountId],
    ] as const) {
      if (id === null) continue;
      const account = byId.get(id);
      if (!account) throw notFound('Account');
      if (account.archived) throw badInput(field, 'The account is archived');
    }
    if (
      transferAccountId !== null &&
      byId.get(accountId)!.currency !== byId.get(transferAccountId)!.currency
    ) {
      throw badInput('transferAccountId', 'A transfer needs two accounts of the same currency');
    }
  }

  /** The caller's category (else NOT_FOUND) of the transaction's kind; its canonical id. */
  private async checkCategory(em: EntityManager, categoryId: string, type: TransactionType): Promise<string> {
    const id = canonicalId(categoryId);
    if (!isUuid(id)) throw notFound('Category');
    const [row] = await em.execute<{ kind: string }[]>(
      'select kind from categories where user_id = ? and id = ?',
      [this.userId, id],
    );
    if (!row) throw notFound('Category');
    if (row.kind !== (type as string))
      throw badInput('categoryId', `A ${type} transaction needs an ${type} category (or none)`);
    return id;
  }
}

/** The day after `date`; undefined after the supported range. */
const nextDay = (date: string): string | undefined => (date >= MAX_DATE ? undefined : addDays(date, 1));

/** What upcoming answers of one occurrence. */
export function occurrenceOf(
  schedule: RecurringTransaction,
  scheduledDate: string,
  state: {
    skipped: boolean;
    edit: {
      amount: string | null;
      description: string | null;
      categoryId: string | null;
      date: string | null;
    } | null;
  },
): UpcomingOccurrence {
  const { edit } = state;
  return {
    schedule,
    scheduledDate,
    date: edit?.date ?? scheduledDate,
    type: schedule.type,
    amount: formatMoney(edit?.amount ?? schedule.amount),
    description: edit?.description ?? schedule.description,
    categoryId: edit?.categoryId ?? schedule.category?.id ?? null,
    skipped: state.skipped,
    edited: edit !== null,
  };
}
