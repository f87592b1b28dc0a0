import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus instruments, one set per running server (bootstrap), so several
 * servers in one process (the tests) never share or collide on a counter. Every label takes a
 * bounded set of values: never a URL, an id or anything else a client chooses freely.
 */

/** Names of the limits that refuse work, as the `limiter` label of rate-limit rejections. */
export const RATE_LIMITERS = [
  'auth_ip', // AUTH_RATE_LIMIT: register, login and refreshToken per IP
  'login_email_ip', // LOGIN_FAILS_PER_EMAIL_AND_IP
  'login_ip_day', // LOGIN_FAILS_PER_IP_PER_DAY
  'password_check', // PASSWORD_CHECK_FAILS
  'bcrypt_queue', // BCRYPT_QUEUE full
  'ws_messages', // WS_MESSAGES_PER_MINUTE
  'ws_sockets_per_user', // MAX_SOCKETS_PER_USER
  'export_slots', // EXPORTS_PER_USER
] as const;
export type RateLimiterName = (typeof RATE_LIMITERS)[number];

/** Why a database transaction ran again (db/retrying-transaction.ts). */
export type RetryReason = 'serialization_failure' | 'deadlock';

/** The database pool at one moment; undefined while it has none (closing). */
export interface PoolStats {
  inUse: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
}

/** Seconds, from half a millisecond (an indexed read) to 10 s (DB_STATEMENT_TIMEOUT's default). */
const SQL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface Metrics {
  /** Everything served at /metrics: this server's instruments and the process's. */
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly graphqlOperations: Counter<'operation' | 'type' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation' | 'type'>;
  readonly sqlDuration: Histogram<'outcome'>;
  readonly transactionRetries: Counter<'reason'>;
  readonly socketsOpen: Gauge;
  readonly subscriptionsActive: Gauge;
  readonly alertsPublished: Counter;
  readonly alertsDelivered: Counter;
  readonly rateLimitRejections: Counter<'limiter'>;
}

export function createMetrics(sources: { pool?: () => PoolStats | undefined } = {}): Metrics {
  const own = new Registry();
  const registers = [own];
  const pool = (name: string, help: string, read: (stats: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      // Read when scraped: the pool is its own record, nothing to keep in step.
      collect() {
        const stats = sources.pool?.();
        if (stats) this.set(read(stats));
      },
    });
  pool('ledgerline_db_pool_connections_in_use', 'Database connections lent out.', (s) => s.inUse);
  pool('ledgerline_db_pool_connections_idle', 'Database connections open and free.', (s) => s.idle);
  pool(
    'ledgerline_db_pool_acquires_waiting',
    'Requests waiting for a database connection.',
    (s) => s.waiting,
  );

  const metrics: Omit<Metrics, 'registry'> = {
    httpRequests: new Counter({
      name: 'ledgerline_http_requests_total',
      help: 'HTTP requests by route (a fixed set; other paths are "other") and status ("aborted": the client left first).',
      labelNames: ['route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'ledgerline_http_request_duration_seconds',
      help: 'HTTP request time, from arrival to the last byte sent, by route.',
      labelNames: ['route'],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    graphqlOperations: new Counter({
      name: 'ledgerline_graphql_operations_total',
      help: 'GraphQL operations over HTTP by operation name, type and outcome (ok, or the first error code).',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    }),
    graphqlDuration: new Histogram({
      name: 'ledgerline_graphql_operation_duration_seconds',
      help: 'GraphQL operation time over HTTP, parse to response, by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    sqlDuration: new Histogram({
      name: 'ledgerline_db_statement_duration_seconds',
      help: 'SQL statement time, on a pooled connection, by outcome (ok or error).',
      labelNames: ['outcome'],
      buckets: SQL_BUCKETS,
      registers,
    }),
    transactionRetries: new Counter({
      name: 'ledgerline_db_transaction_retries_total',
      help: 'Write transactions run again after a serialization failure or deadlock.',
      labelNames: ['reason'],
      registers,
    }),
    socketsOpen: new Gauge({
      name: 'ledgerline_ws_sockets_open',
      help: 'WebSocket connections open on /graphql.',
      registers,
    }),
    subscriptionsActive: new Gauge({
      name: 'ledgerline_ws_subscriptions_active',
      help: 'GraphQL subscriptions running over WebSocket.',
      registers,
    }),
    alertsPublished: new Counter({
      name: 'ledgerline_alerts_published_total',
      help: 'Budget alerts published by this server (after the write that reached them committed).',
      registers,
    }),
    alertsDelivered: new Counter({
      name: 'ledgerline_alerts_delivered_total',
      help: 'Budget alerts sent to a subscriber over WebSocket by this server.',
      registers,
    }),
    rateLimitRejections: new Counter({
      name: 'ledgerline_rate_limit_rejections_total',
      help: 'Requests, messages or sockets refused by a limit, by limiter.',
      labelNames: ['limiter'],
      registers,
    }),
  };
  // Known label values start at 0, so a rate() has a series before the first event.
  for (const limiter of RATE_LIMITERS) metrics.rateLimitRejections.inc({ limiter }, 0);
  for (const reason of ['serialization_failure', 'deadlock']) metrics.transactionRetries.inc({ reason }, 0);
  for (const outcome of ['ok', 'error']) metrics.sqlDuration.zero({ outcome });

  return { ...metrics, registry: Registry.merge([processRegistry(), own]) };
}

let processMetrics: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, handles, event loop lag, GC), registered once per
 * process and shared by every server's registry: they describe the process, whichever server
 * serves them, and each collectDefaultMetrics call starts an event-loop delay monitor and a GC
 * observer that are never stopped, so one per server would pile up in a test process.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
