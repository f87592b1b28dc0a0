import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { DateScalar } from '../../money/scalars.js';
import { Category } from '../categories/category.entity.js';
import { Budget } from './budget.entity.js';
import { CreateBudgetInput, UpdateBudgetInput } from './budget.inputs.js';
import { BudgetStatus } from './budget-status.js';
import { BudgetService } from './budget.service.js';

@Authorized()
@Resolver(() => Budget)
export class BudgetResolver {
  @Query(() => [Budget])
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
  category(@Root() budget: Budget, @Ctx() ctx: Context): Promise<Category | null> {
    return ctx.loaders.category.loadOptional(budget.category?.id);
  }

  @FieldResolver(() => BudgetStatus, { description: 'The period containing date (default today).' })
  status(
    @Root() budget: Budget,
    @Arg('date', () => DateScalar, { nullable: true }) date: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetStatus> {
    return new BudgetService(ctx.em, user.id).status(budget, date ?? undefined);
  }

  @FieldResolver(() => [BudgetStatus], {
    description:
      'The most recent periods, newest first: the first is the period containing today (equal to status), then consecutive earlier ones.',
  })
  history(
    @Root() budget: Budget,
    @Arg('periods', () => Int, { nullable: true, defaultValue: 6 }) periods: number | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetStatus[]> {
    return new BudgetService(ctx.em, user.id).history(budget, periods ?? 6);
  }

  @Mutation(() => Budget)
  createBudget(
    @Arg('input') input: CreateBudgetInput,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Budget> {
    return new BudgetService(ctx.em, user.id).create(input);
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
}
