import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { DateScalar, MonthScalar } from '../../money/scalars.js';
import { Category } from '../categories/category.entity.js';
import { Transaction } from '../transactions/transaction.entity.js';
import { MAX_RECENT, ReportService } from './report.service.js';
import { CashflowPoint, CategoryAmount, Dashboard, Interval, MonthlyReport } from './report.types.js';
import { listCost, queryCost, sizeArg } from '../../limits/cost.js';
import { cashflowPoints, categoryRows } from './report-cost.js';
import { categoryLoader } from '../categories/category.loader.js';

const currencyArg = { nullable: true } as const;

@Authorized()
@Resolver()
export class ReportResolver {
  @Query(() => MonthlyReport, { complexity: queryCost })
  async monthlyReport(
    @Arg('month', () => MonthScalar) month: string,
    @Arg('currency', () => String, currencyArg) requested: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<MonthlyReport> {
    const reports = new ReportService(ctx.em, user.id);
    return reports.monthlyReport(await reports.currency(requested), month);
  }

  @Query(() => [CategoryAmount], { complexity: listCost(categoryRows) })
  async spendingByCategory(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('currency', () => String, currencyArg) requested: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<CategoryAmount[]> {
    const reports = new ReportService(ctx.em, user.id);
    return reports.spendingByCategory(await reports.currency(requested), from, to);
  }

  @Query(() => [CashflowPoint], { complexity: listCost(cashflowPoints) })
  async cashflow(
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('interval', () => Interval) interval: Interval,
    @Arg('currency', () => String, currencyArg) requested: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<CashflowPoint[]> {
    const reports = new ReportService(ctx.em, user.id);
    return reports.cashflow(await reports.currency(requested), from, to, interval);
  }

  @Query(() => Dashboard, { complexity: queryCost })
  async dashboard(
    @Arg('currency', () => String, currencyArg) requested: string | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Dashboard> {
    const reports = new ReportService(ctx.em, user.id);
    return reports.dashboard(await reports.currency(requested));
  }
}

@Authorized()
@Resolver(() => Dashboard)
export class DashboardResolver {
  @FieldResolver(() => [Transaction], {
    description: 'Newest first: by date, then by createdAt.',
    complexity: listCost((args) => sizeArg(args, 'first', 5, MAX_RECENT)),
  })
  recentTransactions(
    @Root() dashboard: Dashboard,
    @Arg('first', () => Int, { nullable: true, defaultValue: 5 }) first: number | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<Transaction[]> {
    return new ReportService(ctx.em, user.id).recentTransactions(dashboard.currency, first ?? 5);
  }
}

@Authorized()
@Resolver(() => CategoryAmount)
export class CategoryAmountResolver {
  @FieldResolver(() => Category, { nullable: true, description: 'Null: uncategorized.' })
  category(@Root() amount: CategoryAmount, @Ctx() ctx: Context): Promise<Category | null> {
    return categoryLoader(ctx).loadOptional(amount.categoryId);
  }
}
