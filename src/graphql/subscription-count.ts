import type { Metrics } from '../metrics/metrics.js';

/**
 * Keeps the active-subscriptions gauge from graphql-ws's hooks. A subscription counts from the
 * moment it runs (onOperation gives an async iterable) until graphql-ws completes it (onComplete)
 * or its socket closes (onClose); each is remembered by socket and id, so whichever of those
 * comes first takes it off, once, and the gauge never drifts.
 */
export class SubscriptionCount {
  private readonly running = new WeakMap<object, Set<string>>();

  constructor(private readonly metrics: Metrics) {}

  started(socket: object, id: string, result: unknown): void {
    if (typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result)) return;
    let ids = this.running.get(socket);
    if (!ids) this.running.set(socket, (ids = new Set()));
    if (ids.has(id)) return;
    ids.add(id);
    this.metrics.subscriptionsActive.inc();
  }

  ended(socket: object, id: string): void {
    if (this.running.get(socket)?.delete(id)) this.metrics.subscriptionsActive.dec();
  }

  closed(socket: object): void {
    const ids = this.running.get(socket);
    if (!ids) return;
    if (ids.size > 0) this.metrics.subscriptionsActive.dec(ids.size);
    this.running.delete(socket);
  }
}
