import { canonicalId } from '../../db/ids.js';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import { DeletedObject } from '../../db/deleted-object.type.js';
import type { AuthUser, Context } from '../../context.js';
import { DateScalar } from '../../money/scalars.js';
import { Category } from '../categories/category.entity.js';
import { Budget } from './budget.entity.js';
import { CreateBudgetInput, UpdateBudgetInput } from './budget.inputs.js';
import { BudgetStatusLoader } from './budget-status.loader.js';
import { BudgetStatus } from './budget-status.type.js';
import { today } from '../../calendar/dates.js';
import { DEFAULT_HISTORY, HistoryArgs, MAX_HISTORY } from './budget.args.js';
import { BudgetService } from './budget.service.js';
import { listCost, queryCost, sizeArg } from '../../limits/cost.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';

@Authorized()
@Resolver(() => Budget)
export class BudgetResolver {
  @Query(() => [Budget], { complexity: listCost((_args, limits) => limits.maxBudgets) })
  budgets(@CurrentUser() user: AuthUser, @Ctx() ctx: Context): Promise<Budget[]> {
    return new BudgetService(ctx.em, user.id).list();
  }

  @Query(() => Budget)
  budget(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Budget> {
    return new BudgetService(ctx.em, user.id).get(id);
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() budget: Budget, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(budget.category?.id);
  }

  @FieldResolver(() => BudgetStatus, {
    description: 'The period containing date (default today).',
    complexity: queryCost,
  })
  status(
    @Root() budget: Budget,
    @Arg('date', () => DateScalar, { nullable: true }) date: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetStatus> {
    return BudgetStatusLoader.of(ctx, user.id).status(budget, date ?? today());
  }

  @FieldResolver(() => [BudgetStatus], {
    description:
      'The most recent periods, newest first: the first is the period containing today (equal to status), then consecutive earlier ones.',
    complexity: listCost((args) => sizeArg(args, 'periods', DEFAULT_HISTORY, MAX_HISTORY)),
  })
  history(
    @Root() budget: Budget,
    @Args() { periods }: HistoryArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetStatus[]> {
    return BudgetStatusLoader.of(ctx, user.id).history(budget, periods ?? DEFAULT_HISTORY);
  }

  @Mutation(() => Budget)
  createBudget(
    @Arg('input') input: CreateBudgetInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Budget> {
    return new BudgetService(ctx.em, user.id).create(input, ctx.app.limits.maxBudgets);
  }

  @Mutation(() => Budget)
  updateBudget(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateBudgetInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Budget> {
    return new BudgetService(ctx.em, user.id).update(id, input);
  }

  @Mutation(() => Boolean)
  deleteBudget(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return new BudgetService(ctx.em, user.id).delete(id);
  }

  @Mutation(() => DeletedObject, {
    description: 'deleteBudget, answering with the deleted budget for a client cache to evict.',
  })
  async removeBudget(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<DeletedObject> {
    await new BudgetService(ctx.em, user.id).delete(id);
    return { id: canonicalId(id), typename: 'Budget' };
  }
}
