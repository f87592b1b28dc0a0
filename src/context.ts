import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { bearerToken, type AccessTokens } from './auth/access-tokens.js';
import type { Passwords } from './auth/passwords.js';
import type { AuthRateLimits } from './auth/rate-limits.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { EntityLoader } from './db/entity-loader.js';
import { NIL_UUID } from './db/ids.js';
import type { AuthFailureReason } from './errors/app-error.js';
import type { UserLimits } from './limits/cost.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/metrics.js';
import type { PubSubBackend } from './pubsub/pubsub.js';

/** The long-lived pieces bootstrap() wires once and every request shares. */
export interface AppServices {
  config: Config;
  log: Logger;
  clock: Clock;
  orm: MikroORM;
  redis?: Redis;
  accessTokens: AccessTokens;
  passwords: Passwords;
  rateLimits: AuthRateLimits;
  /** How many accounts, categories and budgets one user may have. */
  limits: UserLimits;
  pubSub: PubSubBackend['pubSub'];
  pubSubState: PubSubBackend['state'];
  /**
   * Run in the unit of work that creates a user, before it is flushed (e.g. the starter
   * categories): features add to a new user without the users module knowing them.
   */
  onUserCreated: ((em: EntityManager, userId: string) => void)[];
  /** This server's Prometheus instruments (served on METRICS_PORT when set). */
  metrics: Metrics;
}

export interface AuthUser {
  id: string;
  /** The sign-in (refresh token family) the access token belongs to; absent in older tokens. */
  sessionId?: string;
}

export interface Context {
  app: AppServices;
  /** A fork per operation: no identity map shared between requests. */
  em: EntityManager;
  /** Set when the request carried a valid access token. */
  user?: AuthUser;
  /** Why there is no user: no token, or the token's rejection. */
  authFailure?: AuthFailureReason;
  requestId: string;
  /** Objects a feature keeps for one operation (e.g. its batching loaders), under a key it owns. */
  scoped: Map<unknown, unknown>;
  /** The client address, from X-Forwarded-For only when TRUST_PROXY is on. */
  ip: string;
  log: Logger;
  /** For the access log line: the operation's name and type, the user. */
  facts: RequestFacts;
}

export interface RequestInfo {
  authorization: unknown;
  ip: string;
  requestId: string;
  log: Logger;
  /** Shared with the transport's access log, which writes one line when the request ends. */
  facts?: RequestFacts;
}

/** What the access log says about a request beyond HTTP: filled in as the request is served. */
export interface RequestFacts {
  userId?: string;
  operationName?: string;
  operationType?: string;
}

/**
 * Builds the context for HTTP and graphql-ws alike. Never throws: a missing or bad token just
 * means no user, and @Authorized() answers UNAUTHENTICATED where one is needed.
 */
export async function buildContext(app: AppServices, request: RequestInfo): Promise<Context> {
  const token = bearerToken(request.authorization);
  const checked = token ? await app.accessTokens.verify(token) : undefined;
  const em = app.orm.em.fork();
  const user = checked?.ok ? { id: checked.token.userId, sessionId: checked.token.sessionId } : undefined;
  const facts = request.facts ?? {};
  facts.userId = user?.id;
  return {
    app,
    em,
    user,
    authFailure: checked ? (checked.ok ? undefined : checked.reason) : 'TOKEN_MISSING',
    scoped: new Map(),
    requestId: request.requestId,
    ip: request.ip,
    log: request.log,
    facts,
  };
}

/**
 * A subscription keeps its context for its whole life; each event gets a fresh unit of work and
 * fresh loaders, so it never reads data cached from an earlier event.
 */
export function refreshForEvent(context: Context): void {
  context.em = context.app.orm.em.fork();
  context.scoped = new Map();
}

/** The operation's instance under `key`, created on first use. */
export function scopedToOperation<T>(context: Context, key: unknown, create: () => T): T {
  if (!context.scoped.has(key)) context.scoped.set(key, create());
  return context.scoped.get(key) as T;
}

/**
 * The operation's batching loader under `key` (one per feature and kind of row), fetching the
 * caller's rows by id with `fetch` (plain SQL; the user id is NIL_UUID when no one is signed in,
 * so nothing is found).
 */
export function ownedRowLoader<T extends { id: string }>(
  context: Context,
  key: unknown,
  fetch: (userId: string, ids: string[]) => Promise<T[]>,
): EntityLoader<T> {
  return scopedToOperation(
    context,
    key,
    () => new EntityLoader<T>((ids) => fetch(context.user?.id ?? NIL_UUID, [...ids])),
  );
}

/**
 * The operation's batching loader of the caller's rows of `entity` by id (other users' rows are
 * never found). `refresh` re-reads rows the operation may have changed in SQL since the identity
 * map first saw them (account balances).
 */
export function ownedLoader<T extends { id: string }>(
  context: Context,
  entity: EntityClass<T>,
  options: { refresh?: boolean } = {},
): EntityLoader<T> {
  return scopedToOperation(
    context,
    entity,
    () =>
      new EntityLoader<T>((ids) =>
        context.em.find(
          entity,
          { id: { $in: [...ids] }, user: context.user?.id ?? NIL_UUID } as FilterQuery<T>,
          { refresh: options.refresh },
        ),
      ),
  );
}
