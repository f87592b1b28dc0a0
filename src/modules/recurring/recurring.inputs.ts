import { IsOptional } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { IntBetween, IsTagList, SafeText } from '../../validation/decorators.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import { RecurringFrequency } from './recurring.entity.js';

export const MAX_INTERVAL = 1000;
export const MAX_COUNT = 10_000;
/** How far before today a schedule may start: what it catches up when created is bounded. */
export const MAX_BACKFILL_DAYS = 366;
export const MAX_UPCOMING_DAYS = 366;
export const DEFAULT_UPCOMING = 50;
export const MAX_UPCOMING = 500;

/** What createRecurringTransaction and updateRecurringTransaction share. */
@InputType()
abstract class RecurringFieldsInput {
  @Field(() => Int, { nullable: true, description: `MONTHLY only: 1..31 (clamped to the month's last day).` })
  @IntBetween(1, 31)
  dayOfMonth?: number | null;

  @Field(() => DateScalar, { nullable: true, description: 'Inclusive; not before startDate.' })
  endDate?: string | null;

  @Field(() => Int, { nullable: true, description: `1..${MAX_COUNT} occurrences in all.` })
  @IntBetween(1, MAX_COUNT)
  count?: number | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => ID, { nullable: true })
  transferAccountId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: 500 })
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsTagList()
  tags?: string[] | null;
}

@InputType({
  description: `A schedule and its transaction (the same rules as CreateTransactionInput). interval:
1..${MAX_INTERVAL} (default 1). startDate: at most ${MAX_BACKFILL_DAYS} days before today; occurrences
already due are materialized at once. endDate and count end it (either, both or neither).`,
})
export class CreateRecurringTransactionInput extends RecurringFieldsInput {
  @Field(() => RecurringFrequency)
  frequency: RecurringFrequency;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  @IntBetween(1, MAX_INTERVAL)
  interval?: number | null;

  @Field(() => DateScalar)
  startDate: string;

  @Field(() => ID)
  accountId: string;

  @Field(() => TransactionType)
  type: TransactionType;

  @Field(() => DecimalScalar)
  amount: string;
}

@InputType({
  description: `Fields left out keep their value; dayOfMonth, endDate, count, categoryId and description
take null to clear. A change of timing applies from the next occurrence not yet
materialized: those already materialized or skipped stay as they are.`,
})
export class UpdateRecurringTransactionInput extends RecurringFieldsInput {
  @Field(() => RecurringFrequency, { nullable: true })
  frequency?: RecurringFrequency | null;

  @Field(() => Int, { nullable: true })
  @IntBetween(1, MAX_INTERVAL)
  interval?: number | null;

  @Field(() => DateScalar, { nullable: true })
  startDate?: string | null;

  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => TransactionType, { nullable: true })
  type?: TransactionType | null;

  @Field(() => DecimalScalar, { nullable: true })
  amount?: string | null;
}

@InputType({
  description: `One occurrence, changed before it is materialized. Fields left out (or null) are the
schedule's. It still materializes when its scheduled date comes, dated \`date\`.`,
})
export class OccurrenceEditInput {
  @Field(() => DecimalScalar, { nullable: true })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: 500 })
  description?: string | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The date the transaction gets.' })
  date?: string | null;
}

@ArgsType()
export class UpcomingArgs {
  @Field(() => Int, { description: `From today (UTC) through today + days: 0..${MAX_UPCOMING_DAYS}.` })
  @IntBetween(0, MAX_UPCOMING_DAYS)
  days: number;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_UPCOMING,
    description: `The first 1..${MAX_UPCOMING} occurrences, by date.`,
  })
  @IntBetween(1, MAX_UPCOMING)
  first?: number | null;
}
