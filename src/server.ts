import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Options } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import { AccessTokens } from './auth/access-tokens.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import { Passwords } from './auth/passwords.js';
import { createAuthRateLimits } from './auth/rate-limits.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppServices } from './context.js';
import { openDatabase } from './db/orm.js';
import { entities } from './entities.js';
import { createApolloServer } from './graphql/apollo.js';
import { OperationLimits } from './graphql/operation-limits.js';
import { persistedQueries } from './graphql/persisted-queries.js';
import { attachWebSocketServer } from './graphql/websocket.js';
import { createExpressApp } from './http/express-app.js';
import { createLogger, type Logger } from './logger.js';
import { createPubSubBackend } from './pubsub/pubsub.js';
import { RedisOutages } from './pubsub/redis-outages.js';
import { seedStarterCategories } from './modules/categories/starter-categories.js';
import { exportTransactions } from './modules/export/export.route.js';
import { buildAppSchema } from './schema.js';

export interface BootstrapOptions {
  config: Config;
  /** Defaults to a pino logger at config.logLevel. */
  log?: Logger;
  /** ORM settings for tests, e.g. a query counter. */
  ormOverrides?: Partial<Options>;
  /** The time for token expiry; tests move it instead of sleeping. */
  clock?: Clock;
}

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  app: AppServices;
  /** Stops taking requests, drains HTTP and sockets, then closes the ORM and the database. */
  close(): Promise<void>;
}

/** The one composition root: config → database → services → schema → HTTP and WebSocket. */
export async function bootstrap(options: BootstrapOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const jwtSecret = await resolveJwtSecret(config.jwtSecret, config.dataDir);
  if (!config.jwtSecret && config.databaseUrl) {
    log.warn(
      'JWT_SECRET is not set: this server signs tokens with a secret generated in DATA_DIR, which other servers on this database do not share; set the same JWT_SECRET on every replica',
    );
  }
  const database = await openDatabase(config, log, { entities, ...options.ormOverrides });
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  // One warning per outage for the three connections (rate limits and persisted queries, publish, subscribe).
  const outages = new RedisOutages(log);
  if (redis) outages.watch(redis, 'rate limits and persisted queries');
  const pubSub = createPubSubBackend(config.redisUrl, log, outages);

  const clock = options.clock ?? systemClock;
  const app: AppServices = {
    config,
    log,
    clock,
    orm: database.orm,
    redis,
    accessTokens: new AccessTokens(jwtSecret, config.accessTokenTtl, clock),
    passwords: new Passwords(config),
    rateLimits: createAuthRateLimits(config, redis),
    limits: {
      maxAccounts: config.maxAccounts,
      maxCategories: config.maxCategories,
      maxBudgets: config.maxBudgets,
    },
    pubSub: pubSub.pubSub,
    pubSubState: pubSub.state,
    onUserCreated: [seedStarterCategories],
  };

  const production = config.nodeEnv === 'production';
  const schema = await buildAppSchema(pubSub.pubSub);
  const limits = new OperationLimits({ maxQueryCost: config.maxQueryCost, limits: app.limits });
  const httpServer = createServer({
    // A client must send its whole request within this time: a body drip-fed a byte at a
    // time cannot hold a connection for long. Checked every second, not Node's default 30 s.
    requestTimeout: config.httpRequestTimeout * 1000,
    headersTimeout: config.httpRequestTimeout * 1000,
    connectionsCheckingInterval: 1000,
  });
  const sockets = attachWebSocketServer({ httpServer, schema, app, limits });
  const apollo = createApolloServer({
    schema,
    httpServer,
    limits,
    production,
    persistedQueries: persistedQueries(redis),
    onStop: sockets.close,
  });
  try {
    await apollo.start();
    httpServer.on('request', createExpressApp(app, apollo, [exportTransactions(app)]));
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, resolve);
    });
  } catch (error) {
    await apollo.stop().catch(() => undefined);
    await pubSub.close();
    redis?.disconnect();
    await database.close();
    throw error;
  }

  const { port } = httpServer.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/graphql`;
  log.info({ url, embeddedDatabase: database.embedded, redis: Boolean(redis) }, 'server listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    close() {
      closing ??= (async () => {
        log.info('server stopping');
        await apollo.stop(); // closes sockets, then drains and closes HTTP
        await pubSub.close();
        redis?.disconnect();
        await database.close();
        log.info('server stopped');
      })();
      return closing;
    },
  };
}
