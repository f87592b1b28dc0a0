import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { Account } from '../accounts/account.entity.js';
import { Category } from '../categories/category.entity.js';
import { Transaction, TransactionType } from '../transactions/transaction.entity.js';
import { User } from '../users/user.entity.js';

export enum RecurringFrequency {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
  YEARLY = 'YEARLY',
}
registerEnumType(RecurringFrequency, {
  name: 'RecurringFrequency',
  description: 'How often a recurring transaction falls, every `interval` of these.',
});

/**
 * A schedule and the transaction it makes on each occurrence. `nextIndex`/`nextDate` are the
 * cursor of the ticker (recurring-ticker.ts): the first occurrence not yet materialized or
 * skipped; `doneThrough` the date of the last one passed. account, transferAccount and category
 * are resolved by RecurringResolver.
 */
@ObjectType({
  description: `A recurring transaction: a schedule and the transaction each occurrence makes. Every
occurrence is materialized once, as an ordinary transaction (balances, budgets, alerts,
rules and transactionChanged as for createTransaction), when its date comes (UTC).`,
})
@Entity({ tableName: 'recurring_transactions' })
@Index({ properties: ['user', 'createdAt', 'id'] })
@Index({ properties: ['nextDate'] })
export class RecurringTransaction extends BaseEntity<
  'dayOfMonth' | 'endDate' | 'count' | 'transferAccount' | 'category' | 'description' | 'tags' | 'doneThrough'
> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Field(() => RecurringFrequency)
  @Property({ type: 'text' })
  frequency: RecurringFrequency;

  @Field(() => Int, { description: 'Every N days, weeks, months or years.' })
  @Property({ type: 'integer' })
  interval: number;

  @Field(() => DateScalar, { description: 'The first occurrence is on or after it.' })
  @Property({ type: 'date' })
  startDate: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "MONTHLY: the day of the month (the month's last day when it is shorter); null: startDate's day.",
  })
  @Property({ type: 'integer', nullable: true })
  dayOfMonth: number | null = null;

  @Field(() => DateScalar, { nullable: true, description: 'No occurrence after it (inclusive).' })
  @Property({ type: 'date', nullable: true })
  endDate: string | null = null;

  @Field(() => Int, { nullable: true, description: 'How many occurrences in all, counted from startDate.' })
  @Property({ type: 'integer', nullable: true })
  count: number | null = null;

  @Field(() => TransactionType)
  @Property({ type: 'text' })
  type: TransactionType;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 19, scale: 4 })
  amount: string;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account: Rel<Account>;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'cascade' })
  transferAccount: Rel<Account> | null = null;

  /** Deleting the category leaves the schedule without one. */
  @ManyToOne(() => Category, { nullable: true, deleteRule: 'set null', index: true })
  category: Rel<Category> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => [String])
  @Property({ type: new ArrayType(), columnType: 'text[]' })
  tags: string[] = [];

  /** The index of the next occurrence to materialize (0: the first). */
  @Property({ type: 'integer', default: 0 })
  nextIndex: number = 0;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'The next occurrence not yet materialized (or skipped); null once the schedule has ended.',
  })
  @Property({ type: 'date', nullable: true })
  nextDate: string | null;

  /** The date of the last occurrence materialized or skipped; null before the first. */
  @Property({ type: 'date', nullable: true })
  doneThrough: string | null = null;
}

/**
 * An occurrence handled: materialized (transaction set, until that transaction is deleted) or
 * skipped. The primary key (schedule, occurrence date) is what makes each occurrence happen
 * once: it is inserted with `on conflict do nothing` in the database transaction that writes
 * the occurrence's transaction, so a second writer, on any server, inserts nothing and writes
 * nothing.
 */
@Entity({ tableName: 'recurring_occurrences' })
export class RecurringOccurrence {
  @ManyToOne(() => RecurringTransaction, { primary: true, deleteRule: 'cascade' })
  schedule: Rel<RecurringTransaction>;

  @PrimaryKey({ type: 'date' })
  occurrenceDate: string;

  @Property({ type: 'boolean', default: false })
  skipped: boolean = false;

  @ManyToOne(() => Transaction, { nullable: true, deleteRule: 'set null' })
  transaction: Rel<Transaction> | null = null;

  /** Why a due occurrence made no transaction (e.g. its account was archived); null otherwise. */
  @Property({ type: 'text', nullable: true })
  failure: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** One occurrence changed before it is materialized (editOccurrence); null fields: the schedule's. */
@Entity({ tableName: 'recurring_occurrence_edits' })
export class RecurringOccurrenceEdit {
  @ManyToOne(() => RecurringTransaction, { primary: true, deleteRule: 'cascade' })
  schedule: Rel<RecurringTransaction>;

  @PrimaryKey({ type: 'date' })
  occurrenceDate: string;

  @Property({ type: 'decimal', precision: 19, scale: 4, nullable: true })
  amount: string | null = null;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @ManyToOne(() => Category, { nullable: true, deleteRule: 'set null' })
  category: Rel<Category> | null = null;

  /** The date the transaction gets; it still materializes when occurrenceDate comes. */
  @Property({ type: 'date', nullable: true })
  date: string | null = null;
}
