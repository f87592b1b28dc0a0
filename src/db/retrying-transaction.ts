import type { EntityManager } from '@mikro-orm/postgresql';
import { databaseObserver } from './db-observer.js';

/** Serialization failure and deadlock: the database asks the client to try again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in one database transaction, retrying a bounded number of times when PostgreSQL
 * reports a serialization failure or deadlock. Any other error rolls everything back and is
 * rethrown, so a failed write leaves nothing behind.
 */
export async function inRetryingTransaction<T>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional((tem) => work(tem as EntityManager));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      databaseObserver(em)?.retried(code === '40001' ? 'serialization_failure' : 'deadlock');
      em.clear();
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
