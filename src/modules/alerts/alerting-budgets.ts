import type { EntityManager } from '@mikro-orm/postgresql';
import type { PeriodKind } from '../budgets/period.js';
import { EvaluationBatches } from './evaluation-batches.js';

/** A budget with alert thresholds, as a server keeps it between writes. */
export interface AlertingBudget {
  id: string;
  categoryId: string | null;
  amount: string;
  period: PeriodKind;
  startDate: string;
  rollover: boolean;
  thresholds: number[];
}

/**
 * Users whose alerting budgets a server keeps; the least recently written forgotten first. With
 * MAX_CATEGORIES (300) kept per user that is at most about 60 MB, usually far less: the tree is
 * kept only for users with a budget on a category.
 */
const MAX_USERS = 2_000;
/** Periods per budget whose alerted thresholds a server remembers; older ones are evaluated again. */
const MAX_PERIODS = 12;
/** Deeper than any tree MAX_CATEGORIES allows: a walk up stops there even on a (corrupt) cycle. */
const MAX_DEPTH = 100_000;

/**
 * One user's alerting budgets and expense category tree as of `version`
 * (`users.alert_rules_version`, bumped by triggers whenever a budget or category changes:
 * migrations/Migration20261222000000_alert_rules_version.ts), with the thresholds this server
 * has seen alerted.
 */
export class UserAlertingBudgets {
  /** Budget id → period start → thresholds alerted (stored by any server: seen here). */
  private readonly alerted = new Map<string, Map<string, Set<number>>>();

  constructor(
    readonly version: string,
    readonly budgets: AlertingBudget[],
    /** Each expense category's parent: a budget on a category counts its descendants too. */
    private readonly parents: Map<string, string | null>,
  ) {}

  /** The budgets counting an expense in one of these categories (null: uncategorized). */
  counting(categoryIds: (string | null)[]): AlertingBudget[] {
    if (this.budgets.length === 0) return [];
    const counted = new Set<string>();
    for (const id of categoryIds) {
      let category = id;
      for (let depth = 0; category !== null && depth < MAX_DEPTH && !counted.has(category); depth++) {
        counted.add(category);
        category = this.parents.get(category) ?? null;
      }
    }
    return this.budgets.filter((budget) => budget.categoryId === null || counted.has(budget.categoryId));
  }

  /** The thresholds of `budget` in the period starting `periodStart` not known to have alerted. */
  open(budget: AlertingBudget, periodStart: string): number[] {
    const alerted = this.alerted.get(budget.id)?.get(periodStart);
    return alerted ? budget.thresholds.filter((threshold) => !alerted.has(threshold)) : budget.thresholds;
  }

  /** Remembers that this threshold of the budget has alerted in that period (stored now or before). */
  markAlerted(budgetId: string, periodStart: string, threshold: number): void {
    let periods = this.alerted.get(budgetId);
    if (!periods) this.alerted.set(budgetId, (periods = new Map()));
    let alerted = periods.get(periodStart);
    if (!alerted) {
      periods.set(periodStart, (alerted = new Set()));
      if (periods.size > MAX_PERIODS) periods.delete([...periods.keys()].sort()[0]!);
    }
    alerted.add(threshold);
  }
}

/**
 * What one server knows of its users' alerting budgets. A transaction write reads only the
 * user's `alert_rules_version` with its locks (no budget rows: with them the write's locking
 * statement cost several times as much); after the commit the write's alerts are evaluated
 * against the budgets kept here, loaded again in one statement when the version moved. Which
 * thresholds have alerted is remembered as evaluations find them, so a write whose thresholds
 * have all fired reads nothing more; a server that does not know yet evaluates once, and the
 * alerts' unique key keeps each alert single.
 */
export class AlertingBudgets {
  private readonly users = new Map<string, UserAlertingBudgets>();
  /** The evaluations this server runs against them, batched per user. */
  readonly evaluations = new EvaluationBatches();

  /**
   * The user's alerting budgets as of `version` or later (loaded when the kept copy is older or
   * missing; with no version given, always loaded).
   */
  async of(em: EntityManager, userId: string, version?: string): Promise<UserAlertingBudgets> {
    const kept = this.users.get(userId);
    // A copy newer than the write's snapshot (another write loaded it since) serves it too.
    if (kept && version !== undefined && BigInt(kept.version) >= BigInt(version)) {
      this.users.delete(userId); // most recently used last
      this.users.set(userId, kept);
      return kept;
    }
    const loaded = await load(em, userId);
    this.users.delete(userId);
    this.users.set(userId, loaded);
    if (this.users.size > MAX_USERS) this.users.delete(this.users.keys().next().value!);
    return loaded;
  }
}

/** The user's version with the budgets and categories it describes, read in one statement. */
async function load(em: EntityManager, userId: string): Promise<UserAlertingBudgets> {
  const [row] = await em.execute<
    { version: string; budgets: AlertingBudget[]; categories: [string, string | null][] }[]
  >(
    `select u.alert_rules_version::text as version,
       (select coalesce(json_agg(json_build_object(
           'id', b.id, 'categoryId', b.category_id, 'amount', b.amount::text, 'period', b.period,
           'startDate', b.start_date::text, 'rollover', b.rollover, 'thresholds', b.alert_thresholds)
         order by b.id), '[]'::json)
        from budgets b where b.user_id = u.id and b.alert_thresholds <> '{}') as budgets,
       (select coalesce(json_agg(json_build_array(c.id, c.parent_id)), '[]'::json)
        from categories c where c.user_id = u.id and c.kind = 'EXPENSE'
          and exists (select 1 from budgets b where b.user_id = u.id and b.category_id is not null
                        and b.alert_thresholds <> '{}')) as categories
     from users u where u.id = ?`,
    [userId],
  );
  if (!row) return new UserAlertingBudgets('0', [], new Map());
  return new UserAlertingBudgets(row.version, row.budgets, new Map(row.categories));
}

const kept = new WeakMap<object, AlertingBudgets>();

/** The alerting budgets kept by the server whose services are `app` (one per server). */
export function alertingBudgets(app: object): AlertingBudgets {
  let found = kept.get(app);
  if (!found) kept.set(app, (found = new AlertingBudgets()));
  return found;
}
