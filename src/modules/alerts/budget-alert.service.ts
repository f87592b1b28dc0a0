import type { EntityManager } from '@mikro-orm/postgresql';
import { findOwned } from '../../db/find-owned.js';
import type { AppPubSub } from '../../pubsub/pubsub.js';
import { BudgetAlert } from './budget-alert.entity.js';

export class BudgetAlertService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  /** Newest first. */
  list(unreadOnly: boolean, first: number): Promise<BudgetAlert[]> {
    return this.em.find(
      BudgetAlert,
      { user: this.userId, ...(unreadOnly ? { read: false } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first },
    );
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
export function publishAlerts(pubSub: AppPubSub, userId: string, alertIds: string[]): void {
  for (const alertId of alertIds) pubSub.publish('BUDGET_ALERT', userId, { alertId });
}
