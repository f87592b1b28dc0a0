import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar, MonthScalar } from '../../money/scalars.js';
import { Budget } from '../budgets/budget.entity.js';
import { BudgetStatus } from '../budgets/budget-status.type.js';
import { listCost, queryCost } from '../../limits/cost.js';
import { categoryRows } from './report-cost.js';

export { Interval } from './interval.js';

/** A category's total; `category` is resolved from categoryId (null: uncategorized). */
@ObjectType()
export class CategoryAmount {
  categoryId: string | null;

  @Field(() => DecimalScalar)
  total: string;

  @Field(() => Int)
  count: number;

  @Field(() => Float, { description: 'total / sum of totals, 0..1' })
  share: number;
}

@ObjectType()
export class BudgetVsActual {
  @Field(() => Budget)
  budget: Budget;

  @Field(() => BudgetStatus, { complexity: queryCost })
  status: BudgetStatus;
}

@ObjectType()
export class MonthlyReport {
  @Field(() => MonthScalar)
  month: string;

  @Field()
  currency: string;

  @Field(() => DecimalScalar, { description: 'Positive sum; transfers are neither income nor expenses.' })
  income: string;

  @Field(() => DecimalScalar, { description: 'Positive sum.' })
  expenses: string;

  @Field(() => DecimalScalar, { description: 'income - expenses' })
  net: string;

  @Field(() => [CategoryAmount], { complexity: listCost(categoryRows, 0) })
  incomeByCategory: CategoryAmount[];

  @Field(() => [CategoryAmount], { complexity: listCost(categoryRows, 0) })
  expensesByCategory: CategoryAmount[];

  @Field(() => [BudgetVsActual], { complexity: listCost((_args, limits) => limits.maxBudgets, 0) })
  budgets: BudgetVsActual[];
}

@ObjectType({
  description: `One point per period from the one containing from to the one containing to, empty
periods included with zeros. WEEK periods start on Monday, MONTH on the 1st.
income and expenses are positive sums; net = income - expenses.`,
})
export class CashflowPoint {
  @Field(() => DateScalar)
  periodStart: string;

  @Field(() => DecimalScalar)
  income: string;

  @Field(() => DecimalScalar)
  expenses: string;

  @Field(() => DecimalScalar)
  net: string;
}

/** recentTransactions is a field resolver (it takes `first`). */
@ObjectType()
export class Dashboard {
  @Field()
  currency: string;

  @Field(() => DecimalScalar, {
    description: 'Sum of balances of the non-archived accounts in this currency.',
  })
  totalBalance: string;

  @Field(() => DecimalScalar)
  incomeThisMonth: string;

  @Field(() => DecimalScalar)
  expensesThisMonth: string;

  @Field(() => [BudgetVsActual], { complexity: listCost((_args, limits) => limits.maxBudgets, 0) })
  budgets: BudgetVsActual[];
}
