import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { listCost, sizeArg } from '../../limits/cost.js';
import { DateScalar } from '../../money/scalars.js';
import { Account } from '../accounts/account.entity.js';
import { accountLoader } from '../accounts/account.loader.js';
import type { AccountRow } from '../accounts/account-row.js';
import { Category } from '../categories/category.entity.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';
import { materializeDue, todayBy } from './materialize.js';
import { RecurringTransaction } from './recurring.entity.js';
import {
  CreateRecurringTransactionInput,
  DEFAULT_UPCOMING,
  MAX_BACKFILL_DAYS,
  MAX_UPCOMING,
  OccurrenceEditInput,
  UpcomingArgs,
  UpdateRecurringTransactionInput,
} from './recurring.inputs.js';
import { RecurringService } from './recurring.service.js';
import { UpcomingOccurrence } from './upcoming.type.js';

const serviceFor = (ctx: Context, user: AuthUser): RecurringService =>
  new RecurringService(ctx.em, user.id, todayBy(ctx.app));

/**
 * The occurrences of `schedule` already due, materialized now rather than at the next tick (the
 * same path as the ticker's, so never twice); then the schedule as it is after.
 */
async function catchUp(ctx: Context, schedule: RecurringTransaction): Promise<RecurringTransaction> {
  if (schedule.nextDate === null || schedule.nextDate > todayBy(ctx.app)) return schedule;
  await materializeDue(ctx.app, { limit: ctx.app.config.recurringTickLimit, scheduleId: schedule.id });
  return ctx.em.refresh(schedule).then((fresh) => fresh ?? schedule);
}

@Authorized()
@Resolver(() => RecurringTransaction)
export class RecurringResolver {
  @Query(() => [RecurringTransaction], {
    description: 'Your recurring transactions, oldest first.',
    complexity: listCost((_args, limits) => limits.maxRecurring),
  })
  recurringTransactions(@CurrentUser() user: AuthUser, @Ctx() ctx: Context): Promise<RecurringTransaction[]> {
    return serviceFor(ctx, user).list();
  }

  @Query(() => RecurringTransaction)
  recurringTransaction(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<RecurringTransaction> {
    return serviceFor(ctx, user).get(id);
  }

  @Query(() => [UpcomingOccurrence], {
    description: `Occurrences of your recurring transactions not yet materialized, due from today (UTC)
through today + days (and any due earlier that the next tick materializes), by date,
skipped ones included (skipped: true).`,
    complexity: listCost((args) => sizeArg(args, 'first', DEFAULT_UPCOMING, MAX_UPCOMING)),
  })
  upcoming(
    @Args() { days, first }: UpcomingArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<UpcomingOccurrence[]> {
    return serviceFor(ctx, user).upcoming(days, first ?? DEFAULT_UPCOMING);
  }

  @FieldResolver(() => Account)
  account(@Root() schedule: RecurringTransaction, @Ctx() ctx: Context): Promise<AccountRow> {
    return accountLoader(ctx).load(schedule.account.id);
  }

  @FieldResolver(() => Account, { nullable: true, description: 'Set for TRANSFER only.' })
  transferAccount(@Root() schedule: RecurringTransaction, @Ctx() ctx: Context): Promise<AccountRow | null> {
    return accountLoader(ctx).loadOptional(schedule.transferAccount?.id);
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() schedule: RecurringTransaction, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(schedule.category?.id);
  }

  @Mutation(() => RecurringTransaction, {
    description: `Occurrences already due (startDate up to ${MAX_BACKFILL_DAYS} days ago) are materialized before it answers.`,
  })
  async createRecurringTransaction(
    @Arg('input') input: CreateRecurringTransactionInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<RecurringTransaction> {
    const schedule = await serviceFor(ctx, user).create(input, ctx.app.limits.maxRecurring);
    return catchUp(ctx, schedule);
  }

  @Mutation(() => RecurringTransaction)
  async updateRecurringTransaction(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRecurringTransactionInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<RecurringTransaction> {
    return catchUp(ctx, await serviceFor(ctx, user).update(id, input));
  }

  @Mutation(() => Boolean, { description: 'The transactions it materialized stay.' })
  deleteRecurringTransaction(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return serviceFor(ctx, user).delete(id);
  }

  @Mutation(() => UpcomingOccurrence, {
    description: 'The occurrence due on date will make no transaction. Only before it is materialized.',
  })
  skipOccurrence(
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('date', () => DateScalar) date: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<UpcomingOccurrence> {
    return serviceFor(ctx, user).skip(scheduleId, date);
  }

  @Mutation(() => UpcomingOccurrence, {
    description:
      'Changes the occurrence due on date (amount, description, category, the date it gets) before it is materialized; sending it again replaces the edit.',
  })
  editOccurrence(
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('date', () => DateScalar) date: string,
    @Arg('input') input: OccurrenceEditInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<UpcomingOccurrence> {
    return serviceFor(ctx, user).edit(scheduleId, date, input);
  }
}

@Resolver(() => UpcomingOccurrence)
export class UpcomingOccurrenceResolver {
  @FieldResolver(() => Category, { nullable: true })
  category(@Root() occurrence: UpcomingOccurrence, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(occurrence.categoryId ?? undefined);
  }
}
