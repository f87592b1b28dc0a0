import type { EntityManager } from '@mikro-orm/postgresql';
import { raw } from '@mikro-orm/core';
import { findOwned } from '../../db/find-owned.js';
import { isUuid } from '../../db/ids.js';
import { badInput } from '../../errors/app-error.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { AppPubSub } from '../../pubsub/pubsub.js';
import { BudgetAlert } from './budget-alert.entity.js';

export class BudgetAlertService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  /**
   * Newest first (ties by id), `first` of them; with `after`, those after that alert of the
   * caller's in this order (keyset: a page never skips or repeats one as new alerts arrive).
   */
  async list(unreadOnly: boolean, first: number, after?: string | null): Promise<BudgetAlert[]> {
    const mine = { user: this.userId, ...(unreadOnly ? { read: false } : {}) };
    const order = { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first } as const;
    if (after == null) return this.em.find(BudgetAlert, mine, order);
    const [anchor] = isUuid(after)
      ? await this.em.execute<{ id: string }[]>('select id from budget_alerts where id = ? and user_id = ?', [
          after,
          this.userId,
        ])
      : [];
    if (!anchor) throw badInput('after', 'after is not one of your alerts');
    // created_at compared in SQL, to the microsecond; a JavaScript Date keeps milliseconds.
    const older = raw('(created_at, id) < (select created_at, id from budget_alerts where id = ?)', [
      anchor.id,
    ]);
    return this.em.find(BudgetAlert, { ...mine, [older]: [] }, order);
  }

  async get(id: string): Promise<BudgetAlert> {
    return findOwned(this.em, BudgetAlert, id, this.userId, 'Budget alert');
  }

  async markRead(id: string): Promise<BudgetAlert> {
    const alert = await this.get(id);
    alert.read = true;
    await this.em.flush();
    return alert;
  }
}

/** Pushes stored alerts to their owner's subscribers; call only after the write committed. */
export function publishAlerts(pubSub: AppPubSub, metrics: Metrics, userId: string, alertIds: string[]): void {
  for (const alertId of alertIds) pubSub.publish('BUDGET_ALERT', userId, { alertId });
  metrics.alertsPublished.inc(alertIds.length);
}
