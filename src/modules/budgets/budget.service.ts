import type { EntityManager } from '@mikro-orm/postgresql';
import { findOwned } from '../../db/find-owned.js';
import { badInput } from '../../errors/app-error.js';
import { formatMoney, isPositive } from '../../money/money.js';
import { today, toDateString } from '../../money/dates.js';
import { Category, CategoryKind } from '../categories/category.entity.js';
import { CategoryService } from '../categories/category.service.js';
import { Budget } from './budget.entity.js';
import type { CreateBudgetInput, UpdateBudgetInput } from './budget.inputs.js';
import { budgetStatuses, type BudgetRule, type BudgetStatus } from './budget-status.js';
import { periodContaining, recentPeriods } from './period.js';

export const MAX_HISTORY = 36;

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

  async create(input: CreateBudgetInput): Promise<Budget> {
    const category = input.categoryId ? await this.expenseCategory(input.categoryId) : null;
    const budget = this.em.create(Budget, {
      user: this.userId,
      name: input.name?.trim() || category?.name || 'All expenses',
      category,
      amount: positiveAmount(input.amount),
      period: input.period,
      startDate: input.startDate ?? `${today().slice(0, 8)}01`,
      rollover: input.rollover ?? false,
      alertThresholds: cleanThresholds(input.alertThresholds ?? [80, 100]),
    });
    await this.em.flush();
    return budget;
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

  async status(budget: Budget, date: string = today()): Promise<BudgetStatus> {
    const rule = ruleOf(budget);
    const [status] = await budgetStatuses(this.em, rule, [
      periodContaining(rule.period, rule.startDate, date),
    ]);
    return status!;
  }

  /** The period containing today, then consecutive earlier ones: newest first. */
  history(budget: Budget, periods: number): Promise<BudgetStatus[]> {
    if (!Number.isInteger(periods) || periods < 1 || periods > MAX_HISTORY) {
      throw badInput('periods', `periods must be between 1 and ${MAX_HISTORY}`);
    }
    const rule = ruleOf(budget);
    return budgetStatuses(this.em, rule, recentPeriods(rule.period, rule.startDate, today(), periods));
  }

  private async expenseCategory(id: string): Promise<Category> {
    const category = await new CategoryService(this.em, this.userId).get(id);
    if (category.kind !== CategoryKind.EXPENSE)
      throw badInput('categoryId', 'A budget needs an EXPENSE category');
    return category;
  }
}

export function ruleOf(budget: Budget): BudgetRule {
  return {
    userId: typeof budget.user === 'string' ? budget.user : budget.user.id,
    categoryId: budget.category?.id ?? null,
    amount: budget.amount,
    period: budget.period,
    startDate: toDateString(budget.startDate),
    rollover: budget.rollover,
  };
}

function positiveAmount(amount: string): string {
  if (!isPositive(amount)) throw badInput('amount', 'amount must be greater than 0');
  return formatMoney(amount);
}

/** Stored sorted, without duplicates. */
function cleanThresholds(thresholds: number[]): number[] {
  return [...new Set(thresholds)].sort((a, b) => a - b);
}
