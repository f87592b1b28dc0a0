import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { RedisOutages } from './redis-outages.js';

/**
 * Topics and their payloads, in one typed place. Topics are per user (the first tuple element is
 * the routing id), so an event reaches only its owner's subscribers, and with Redis each user is
 * a channel: delivery cost grows with the owner's subscribers, not with everyone's.
 * Payloads are plain JSON so Redis can carry them.
 */
export type Topics = {
  BUDGET_ALERT: [userId: string, payload: BudgetAlertEvent];
  SESSIONS_ENDED: [userId: string, payload: SessionsEndedEvent];
  TRANSACTION_CHANGED: [userId: string, payload: TransactionChangedEvent];
};

export interface BudgetAlertEvent {
  alertId: string;
}

/**
 * A committed write of one of the user's transactions. Ids only: a subscriber reads the
 * transaction and the balances fresh, so what it sees is never older than the event.
 */
export interface TransactionChangedEvent {
  /** IMPORTED, IMPORT_UNDONE: a whole import at once; transactionId is then the import's id. */
  kind: 'CREATED' | 'UPDATED' | 'DELETED' | 'IMPORTED' | 'IMPORT_UNDONE';
  transactionId: string;
  /** Every account whose balance the write moved. */
  accountIds: string[];
}

/** Sign-ins of a user that ended (logout, password change, a reused refresh token). */
export interface SessionsEndedEvent {
  /** One sign-in (refresh token family); absent: every sign-in of the user. */
  sessionId?: string;
}

export type AppPubSub = PubSub<Topics>;

export interface PubSubBackend {
  pubSub: AppPubSub;
  /** 'memory' without Redis; else whether the Redis subscriber connection is up. */
  state(): 'memory' | 'ready' | 'down';
  close(): Promise<void>;
}

/** In-process by default; with REDIS_URL, fanned out through Redis to every server instance. */
export function createPubSubBackend(
  redisUrl: string | undefined,
  log: Logger,
  outages: RedisOutages = new RedisOutages(log),
): PubSubBackend {
  if (!redisUrl)
    return { pubSub: createPubSub<Topics>(), state: () => 'memory', close: async () => undefined };

  // No retry limit: while Redis is away, publishes wait in ioredis's queue and go out when it is
  // back, and ioredis re-subscribes every channel on reconnect.
  const options = { maxRetriesPerRequest: null, lazyConnect: false } as const;
  const publisher = new Redis(redisUrl, options);
  const subscriber = new Redis(redisUrl, options);
  outages.watch(publisher, 'pub/sub publisher');
  outages.watch(subscriber, 'pub/sub subscriber');
  const logFailure = (action: string) => (error: unknown) =>
    log.error({ err: error }, `redis ${action} failed`);

  // The event target fires publish/subscribe without awaiting them; these adapters make sure a
  // failure is logged rather than an unhandled rejection that would stop the process.
  const publishClient = {
    publish: (channel: string, message: string) =>
      publisher.publish(channel, message).catch(logFailure('publish')),
  } as unknown as Redis;
  const subscribeClient = {
    on: (event: string, listener: (...args: unknown[]) => void) => subscriber.on(event, listener),
    subscribe: (channel: string) => subscriber.subscribe(channel).catch(logFailure('subscribe')),
    unsubscribe: (channel: string) => subscriber.unsubscribe(channel).catch(logFailure('unsubscribe')),
  } as unknown as Redis;

  return {
    pubSub: createPubSub<Topics>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }),
    state: () => (subscriber.status === 'ready' && publisher.status === 'ready' ? 'ready' : 'down'),
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
