import 'reflect-metadata';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Options } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import type { ServerSummary } from './banner.js';
import { AccessTokens } from './auth/access-tokens.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import { Passwords } from './auth/passwords.js';
import { createAuthRateLimits } from './auth/rate-limits.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { AppServices } from './context.js';
import { observeDatabase, poolStats } from './db/db-observer.js';
import { openDatabase } from './db/orm.js';
import { dataDirStartError, listenStartError } from './errors/start-errors.js';
import { entities } from './entities.js';
import { createApolloServer } from './graphql/apollo.js';
import { OperationLimits } from './graphql/operation-limits.js';
import { persistedQueries } from './graphql/persisted-queries.js';
import { attachWebSocketServer } from './graphql/websocket.js';
import { createExpressApp } from './http/express-app.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type RateLimiterName } from './metrics/metrics.js';
import { serveMetrics, type MetricsServer } from './metrics/metrics-server.js';
import { createPubSubBackend } from './pubsub/pubsub.js';
import { RedisOutages } from './pubsub/redis-outages.js';
import { seedStarterCategories } from './modules/categories/starter-categories.js';
import { exportTransactions } from './modules/export/export.route.js';
import { importFile } from './modules/imports/import.route.js';
import { RecurringTicker } from './modules/recurring/recurring-ticker.js';
import { buildAppSchema } from './schema.js';

export interface BootstrapOptions {
  config: Config;
  /** Defaults to a pino logger at config.logLevel. */
  log?: Logger;
  /** ORM settings for tests, e.g. a query counter. */
  ormOverrides?: Partial<Options>;
  /** The time for token expiry; tests move it instead of sleeping. */
  clock?: Clock;
  /** Tells a person the server is up (the terminal banner) instead of the "server listening" log line. */
  announce?: (summary: ServerSummary) => void;
}

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** GET /metrics on METRICS_PORT, e.g. http://127.0.0.1:9464/metrics; unset when not served. */
  metricsUrl?: string;
  app: AppServices;
  /** This instance's recurring transactions ticker (tests tick it by hand). */
  recurring: RecurringTicker;
  /** Stops taking requests, drains HTTP and sockets, then closes the ORM and the database. */
  close(): Promise<void>;
}

/** The one composition root: config → database → services → schema → HTTP and WebSocket. */
export async function bootstrap(options: BootstrapOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel, config.logFormat, config.nodeEnv);
  // The port first: taken or not ours is one line at once, before any migration runs. Until the
  // app is ready, requests get 503 "starting" (readiness probes wait, clients retry).
  const httpServer = createServer({
    // A client must send its whole request within this time: a body drip-fed a byte at a
    // time cannot hold a connection for long. Checked every second, not Node's default 30 s.
    requestTimeout: config.httpRequestTimeout * 1000,
    headersTimeout: config.httpRequestTimeout * 1000,
    connectionsCheckingInterval: 1000,
  });
  let handle: RequestListener = answerStarting;
  httpServer.on('request', (req, res) => handle(req, res));
  await listen(httpServer, config.host, config.port);
  try {
    return await serve(options, log, httpServer, (listener) => (handle = listener));
  } catch (error) {
    await new Promise((resolve) => httpServer.close(resolve));
    throw error;
  }
}

/** Everything after the port: database, services, schema, then the app takes the requests. */
async function serve(
  options: BootstrapOptions,
  log: Logger,
  httpServer: Server,
  takeRequests: (listener: RequestListener) => void,
): Promise<RunningServer> {
  const { config } = options;
  const jwtSecret = await resolveJwtSecret(config.jwtSecret, config.dataDir).catch((error: unknown) => {
    throw dataDirStartError(error, config.dataDir);
  });
  if (!config.jwtSecret && config.databaseUrl) {
    log.warn(
      'JWT_SECRET is not set: this server signs tokens with a secret generated in DATA_DIR, which other servers on this database do not share; set the same JWT_SECRET on every replica',
    );
  }
  const database = await openDatabase(config, log, { entities, ...options.ormOverrides });
  // Per server, never prom-client's global registry: test processes run several servers.
  const metrics = createMetrics({ pool: () => poolStats(database.orm) });
  observeDatabase(database.orm, {
    statement: (seconds, failed) =>
      metrics.sqlDuration.observe({ outcome: failed ? 'error' : 'ok' }, seconds),
    retried: (reason) => metrics.transactionRetries.inc({ reason }),
  });
  const rejected = (limiter: RateLimiterName) => metrics.rateLimitRejections.inc({ limiter });
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
    passwords: new Passwords(config, () => rejected('bcrypt_queue')),
    rateLimits: createAuthRateLimits(config, redis, rejected),
    limits: {
      maxAccounts: config.maxAccounts,
      maxCategories: config.maxCategories,
      maxBudgets: config.maxBudgets,
      maxRules: config.maxRules,
      maxRecurring: config.maxRecurring,
    },
    pubSub: pubSub.pubSub,
    pubSubState: pubSub.state,
    onUserCreated: [seedStarterCategories],
    metrics,
  };

  const production = config.nodeEnv === 'production';
  const schema = await buildAppSchema(pubSub.pubSub);
  const limits = new OperationLimits({ maxQueryCost: config.maxQueryCost, limits: app.limits });
  const sockets = attachWebSocketServer({ httpServer, schema, app, limits });
  const apollo = createApolloServer({
    schema,
    httpServer,
    limits,
    production,
    persistedQueries: persistedQueries(redis),
    onStop: sockets.close,
    metrics,
  });
  let metricsServer: MetricsServer | undefined;
  const recurring = new RecurringTicker(app, {
    tickMs: config.recurringTickMs,
    limit: config.recurringTickLimit,
  });
  try {
    await apollo.start();
    takeRequests(createExpressApp(app, apollo, [exportTransactions(app), importFile(app)]));
    // Last, so a metrics port already taken fails the start with everything above undone.
    if (config.metricsPort !== undefined) {
      metricsServer = await serveMetrics({
        registry: metrics.registry,
        port: config.metricsPort,
        host: config.metricsHost,
        log,
      });
    }
  } catch (error) {
    await metricsServer?.close();
    await recurring.close();
    await apollo.stop().catch(() => undefined);
    await pubSub.close();
    redis?.disconnect();
    await database.close();
    throw error;
  }

  const { port } = httpServer.address() as AddressInfo;
  const url = httpUrl(config.host, port, '/graphql');
  const metricsUrl = metricsServer && httpUrl(config.metricsHost, metricsServer.port, '/metrics');
  const summary: ServerSummary = {
    url,
    dashboardUrl: httpUrl(config.host, port, '/'),
    graphiqlUrl: httpUrl(config.host, port, '/graphiql'),
    database: config.databaseUrl
      ? `PostgreSQL ${databaseName(config.databaseUrl)}`
      : `embedded PGlite in ${resolve(config.dataDir)}`,
    pubSub: config.redisUrl
      ? `Redis ${new URL(config.redisUrl).host} (shared by every server using it)`
      : 'in-process (one server; set REDIS_URL to share them between servers)',
    metricsUrl,
    production,
  };
  if (options.announce) options.announce(summary);
  else log.info(summary, 'server listening');
  // The migrations have run: the first tick catches up what fell due while no server ran.
  recurring.start();

  let closing: Promise<void> | undefined;
  return {
    url,
    metricsUrl,
    app,
    recurring,
    close() {
      closing ??= (async () => {
        log.info('server stopping');
        await recurring.close();
        await metricsServer?.close();
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

/** Binds HOST:PORT; a setting that cannot work is one line (errors/start-errors.ts). */
function listen(httpServer: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: unknown) => reject(listenStartError(error, host, port));
    httpServer.once('error', failed);
    httpServer.listen(port, host, () => {
      httpServer.off('error', failed);
      resolve();
    });
  });
}

/**
 * Until the app is ready: 503, so a load balancer or a client retries rather than waits; but
 * /healthz is 200, the process being alive, so a liveness probe does not restart a server that
 * is only migrating.
 */
const answerStarting: RequestListener = (req, res) => {
  const alive = req.url === '/healthz';
  res.writeHead(alive ? 200 : 503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ status: 'starting' }));
};

/** host:port/database of a DATABASE_URL, never its user or password. */
function databaseName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.host}${url.pathname}`;
}

/** A URL on `host` as a client would write it: a wildcard address as localhost, IPv6 in brackets. */
function httpUrl(host: string, port: number, path: string): string {
  const shown = ['0.0.0.0', '::'].includes(host) ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}${path}`;
}
