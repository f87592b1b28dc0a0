import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { today } from '../../calendar/dates.js';
import { scopedToOperation, type Context } from '../../context.js';
import type { Budget } from './budget.entity.js';
import { budgetStatuses, ruleOf, type BudgetRule } from './budget-status.js';
import type { BudgetStatus } from './budget-status.type.js';
import { periodContaining, recentPeriods, type Period } from './period.js';

/** One budget's status on a date, or its history of `periods` periods up to today. */
type StatusQuery = { budget: Budget; date: string } | { budget: Budget; periods: number };

const KEY = Symbol('budget statuses');

/**
 * Batches the status and history fields of every budget in one operation (a `budgets` list, a
 * dashboard) into one SQL aggregate.
 */
export class BudgetStatusLoader {
  private readonly loader: DataLoader<StatusQuery, BudgetStatus[], string>;

  constructor(em: EntityManager, userId: string) {
    this.loader = new DataLoader(
      (queries) =>
        budgetStatuses(
          em,
          userId,
          queries.map((query) => {
            const rule = ruleOf(query.budget);
            return { rule, periods: periodsOf(rule, query) };
          }),
        ),
      { cacheKeyFn: (query) => `${query.budget.id}|${'date' in query ? query.date : query.periods}` },
    );
  }

  /** The operation's loader for the signed-in user. */
  static of(context: Context, userId: string): BudgetStatusLoader {
    return scopedToOperation(context, KEY, () => new BudgetStatusLoader(context.em, userId));
  }

  async status(budget: Budget, date: string): Promise<BudgetStatus> {
    return (await this.loader.load({ budget, date }))[0]!;
  }

  history(budget: Budget, periods: number): Promise<BudgetStatus[]> {
    return this.loader.load({ budget, periods });
  }
}

function periodsOf(rule: BudgetRule, query: StatusQuery): Period[] {
  return 'date' in query
    ? [periodContaining(rule.period, rule.startDate, query.date)]
    : recentPeriods(rule.period, rule.startDate, today(), query.periods);
}
