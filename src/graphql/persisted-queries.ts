import type { ApolloServerOptions } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Context } from '../context.js';

type PersistedQueryOptions = Exclude<ApolloServerOptions<Context>['persistedQueries'], false | undefined>;
type QueryCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * How long a registered query is kept: a client whose hash has expired gets
 * PERSISTED_QUERY_NOT_FOUND and sends the query again, so this only bounds what Redis holds.
 * Only operations that parsed, validated and passed the cost limit are registered.
 */
const QUERY_TTL_SECONDS = 24 * 3600;

/**
 * Automatic persisted queries: in this process by default (Apollo's bounded in-memory cache);
 * with Redis, in Redis, so a hash registered through one server instance is found by the
 * others behind the same load balancer. Redis is reached through the app's ioredis client
 * rather than a second Redis library; while it is down a lookup is a miss (the client sends
 * the query again) and a registration is skipped, so APQ never fails a request.
 */
export function persistedQueries(redis: Redis | undefined): PersistedQueryOptions {
  if (!redis) return {};
  const key = (hash: string) => `ledgerline:apq:${hash}`;
  const cache: QueryCache = {
    get: (hash) =>
      redis.get(key(hash)).then(
        (query) => query ?? undefined,
        () => undefined,
      ),
    set: (hash, query) => redis.set(key(hash), query, 'EX', QUERY_TTL_SECONDS).then(noop, noop),
    delete: (hash) =>
      redis.del(key(hash)).then(
        () => true,
        () => false,
      ),
  };
  return { cache, ttl: QUERY_TTL_SECONDS };
}

const noop = (): void => undefined;
