import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { PoolStats, RetryReason } from '../metrics/metrics.js';

/**
 * What the database layer reports for metrics. The composition root attaches one per ORM; db/
 * knows no metrics library, and helpers that only get an EntityManager (preparedRows,
 * inRetryingTransaction) find the observer of its ORM here.
 */
export interface DatabaseObserver {
  statement(seconds: number, failed: boolean): void;
  retried(reason: RetryReason): void;
}

/** Keyed by the ORM's knex instance, which every fork and transaction of its EntityManager shares. */
const observers = new WeakMap<object, DatabaseObserver>();
/** Statements started and not yet answered: a bound, should knex ever skip an answer event. */
const MAX_IN_FLIGHT = 10_000;

interface KnexQuery {
  __knexQueryUid?: string;
}

const knexOf = (em: EntityManager) => em.getConnection().getKnex();

/**
 * Times every statement MikroORM runs, through knex's query events (a statement's 'query' and its
 * 'query-response' or 'query-error' share a __knexQueryUid; a transaction's BEGIN and COMMIT have
 * none and are not timed).
 */
export function observeDatabase(orm: MikroORM, observer: DatabaseObserver): void {
  const knex = knexOf(orm.em);
  observers.set(knex, observer);
  const started = new Map<string, bigint>();
  knex.on('query', (query: KnexQuery) => {
    if (!query.__knexQueryUid) return;
    if (started.size >= MAX_IN_FLIGHT) started.delete(started.keys().next().value!);
    started.set(query.__knexQueryUid, process.hrtime.bigint());
  });
  const answered = (query: KnexQuery, failed: boolean) => {
    const start = query.__knexQueryUid ? started.get(query.__knexQueryUid) : undefined;
    if (start === undefined) return;
    started.delete(query.__knexQueryUid!);
    observer.statement(Number(process.hrtime.bigint() - start) / 1e9, failed);
  };
  knex.on('query-response', (_response: unknown, query: KnexQuery) => answered(query, false));
  knex.on('query-error', (_error: unknown, query: KnexQuery) => answered(query, true));
}

/** The observer of `em`'s ORM, if one is attached. */
export const databaseObserver = (em: EntityManager): DatabaseObserver | undefined =>
  observers.get(knexOf(em));

/** Runs a statement that bypasses knex (preparedRows) and reports its time like knex's. */
export async function timedStatement<T>(em: EntityManager, run: () => Promise<T>): Promise<T> {
  const observer = databaseObserver(em);
  const start = process.hrtime.bigint();
  let failed = true;
  try {
    const result = await run();
    failed = false;
    return result;
  } finally {
    observer?.statement(Number(process.hrtime.bigint() - start) / 1e9, failed);
  }
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * The knex (tarn) pool's counts; the embedded database uses the same driver and pool (of one
 * connection) through its socket. Undefined before the pool exists or after it is destroyed.
 */
export function poolStats(orm: MikroORM): PoolStats | undefined {
  const pool = (knexOf(orm.em).client as { pool?: TarnPool | null }).pool;
  if (!pool) return undefined;
  return { inUse: pool.numUsed(), idle: pool.numFree(), waiting: pool.numPendingAcquires() };
}
