import type { EntityManager } from '@mikro-orm/postgresql';
import { findOwned } from '../../db/find-owned.js';
import { badInput } from '../../errors/app-error.js';
import { formatMoney, isPositive } from '../../money/money.js';
import { monthStart, today } from '../../calendar/dates.js';
import { assertBelowLimit } from '../../limits/user-limits.js';
import { Category, CategoryKind } from '../categories/category.entity.js';
import { CategoryService } from '../categories/category.service.js';
import { Budget } from './budget.entity.js';
import type { CreateBudgetInput, UpdateBudgetInput } from './budget.inputs.js';
import { budgetStatuses, ruleOf } from './budget-status.js';
import type { BudgetStatus } from './budget-status.type.js';
import { periodContaining } from './period.js';

export class BudgetService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  list(): Promise<Budget[]> {
    return this.em.find(Budget, { user: this.userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async get(id: string): Promise<Budget> {
    return findOwned(this.em, Budget, id, this.userId, 'Budget');
  }

  /** Refused past `maxBudgets` budgets (MAX_BUDGETS). */
  async create(input: CreateBudgetInput, maxBudgets: number): Promise<Budget> {
    const category = input.categoryId ? await this.expenseCategory(input.categoryId) : null;
    return this.em.transactional(async (em) => {
      await assertBelowLimit(em, this.userId, 'budgets', maxBudgets);
      return em.create(Budget, {
        user: this.userId,
        name: input.name?.trim() || category?.name || 'All expenses',
        category: category?.id ?? null,
        amount: positiveAmount(input.amount),
        period: input.period,
        startDate: input.startDate ?? monthStart(today()),
        rollover: input.rollover ?? false,
        alertThresholds: cleanThresholds(input.alertThresholds ?? [80, 100]),
      });
    });
  }

  async update(id: string, input: UpdateBudgetInput): Promise<Budget> {
    const budget = await this.get(id);
    if (input.name != null) budget.name = input.name.trim();
    if (input.categoryId !== undefined) {
      budget.category = input.categoryId ? await this.expenseCategory(input.categoryId) : null;
    }
    if (input.amount != null) budget.amount = positiveAmount(input.amount);
    if (input.period != null) budget.period = input.period;
    if (input.startDate != null) budget.startDate = input.startDate;
    if (input.rollover != null) budget.rollover = input.rollover;
    if (input.alertThresholds != null) budget.alertThresholds = cleanThresholds(input.alertThresholds);
    await this.em.flush();
    return budget;
  }

  async delete(id: string): Promise<boolean> {
    const budget = await this.get(id);
    await this.em.removeAndFlush(budget);
    return true;
  }

  /** Statuses of every budget for the period containing `date`, from one query. */
  async statusesOn(date: string): Promise<{ budget: Budget; status: BudgetStatus }[]> {
    const budgets = await this.list();
    const statuses = await budgetStatuses(
      this.em,
      this.userId,
      budgets.map((budget) => {
        const rule = ruleOf(budget);
        return { rule, periods: [periodContaining(rule.period, rule.startDate, date)] };
      }),
    );
    return budgets.map((budget, index) => ({ budget, status: statuses[index]![0]! }));
  }

  private async expenseCategory(id: string): Promise<Category> {
    const category = await new CategoryService(this.em, this.userId).get(id);
    if (category.kind !== CategoryKind.EXPENSE)
      throw badInput('categoryId', 'A budget needs an EXPENSE category');
    return category;
  }
}

function positiveAmount(amount: string): string {
  if (!isPositive(amount)) throw badInput('amount', 'amount must be greater than 0');
  return formatMoney(amount);
}

/** Stored sorted, without duplicates. */
function cleanThresholds(thresholds: number[]): number[] {
  return [...new Set(thresholds)].sort((a, b) => a - b);
}
