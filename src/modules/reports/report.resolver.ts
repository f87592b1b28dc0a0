import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { listCost, queryCost, sizeArg } from '../../limits/cost.js';
import { DateScalar, MonthScalar } from '../../money/scalars.js';
import { Category } from '../categories/category.entity.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';
import { Transaction } from '../transactions/transaction.entity.js';
import type { TransactionRow } from '../transactions/transaction-row.js';
import { cashflow } from './cashflow.js';
import { dashboard, recentTransactions } from './dashboard.js';
import { Interval } from './interval.js';
import { monthlyReport } from './monthly-report.js';
import { CurrencyArgs, DEFAULT_RECENT, MAX_RECENT, RecentTransactionsArgs } from './report.args.js';
import { cashflowPoints, categoryRows } from './report-cost.js';
import { reportCurrency } from './report-currency.js';
import { CashflowPoint, CategoryAmount, Dashboard, MonthlyReport } from './report.types.js';
import { spendingByCategory } from './spending-by-category.js';

/** Reports over the caller's accounts in one currency: the requested one, or the user's. */
@Authorized()
@Resolver()
export class ReportResolver {
  @Query(() => MonthlyReport, { complexity: queryCost })
  async monthlyReport(
    @Arg('month', () => MonthScalar) month: string,
    @Args() { currency }: CurrencyArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<MonthlyReport> {
    return monthlyReport(ctx.em, user.id, await reportCurrency(ctx.em, user.id, currency), month);
  }

  @Query(() => [CategoryAmount], { complexity: listCost(categoryRows) })
  async spendingByCategory(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Args() { currency }: CurrencyArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<CategoryAmount[]> {
    return spendingByCategory(ctx.em, user.id, await reportCurrency(ctx.em, user.id, currency), from, to);
  }

  @Query(() => [CashflowPoint], { complexity: listCost(cashflowPoints) })
  async cashflow(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('interval', () => Interval) interval: Interval,
    @Args() { currency }: CurrencyArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<CashflowPoint[]> {
    return cashflow(ctx.em, user.id, await reportCurrency(ctx.em, user.id, currency), from, to, interval);
  }

  @Query(() => Dashboard, { complexity: queryCost })
  async dashboard(
    @Args() { currency }: CurrencyArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Dashboard> {
    return dashboard(ctx.em, user.id, await reportCurrency(ctx.em, user.id, currency));
  }
}

@Authorized()
@Resolver(() => Dashboard)
export class DashboardResolver {
  @FieldResolver(() => [Transaction], {
    description: 'Newest first: by date, then by createdAt.',
    complexity: listCost((args) => sizeArg(args, 'first', DEFAULT_RECENT, MAX_RECENT)),
  })
  recentTransactions(
    @Root() dashboard: Dashboard,
    @Args() { first }: RecentTransactionsArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<TransactionRow[]> {
    return recentTransactions(ctx.em, user.id, dashboard.currency, first ?? DEFAULT_RECENT);
  }
}

@Authorized()
@Resolver(() => CategoryAmount)
export class CategoryAmountResolver {
  @FieldResolver(() => Category, { nullable: true, description: 'Null: uncategorized.' })
  category(@Root() amount: CategoryAmount, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(amount.categoryId);
  }
}
