import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict } from '../../errors/app-error.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export function checkIdempotencyKey(key: string | null | undefined): string | undefined {
  if (key == null) return undefined;
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || key.includes('\u0000')) {
    throw badInput('idempotencyKey', `idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return key;
}

/** A stable hash of a normalised input: same input, same hash, whatever the key order. */
export function hashRequest(input: object): string {
  const canonical = JSON.stringify(input, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Claims (user, key) inside the caller's database transaction. Returns undefined when the key is
 * new (the caller then writes and calls recordResult), or the id of the transaction an earlier
 * request with the same input created. A concurrent request with the same key waits here on the
 * unique index until the first commits, then sees its result: exactly one transaction is created.
 */
export async function claimIdempotencyKey(
  em: EntityManager,
  userId: string,
  key: string,
  requestHash: string,
): Promise<string | undefined> {
  const inserted = await em.execute<{ key: string }[]>(
    'insert into idempotency_keys (user_id, key, request_hash) values (?, ?, ?) on conflict do nothing returning key',
    [userId, key, requestHash],
  );
  if (inserted.length > 0) return undefined;
  const [existing] = await em.execute<{ request_hash: string; transaction_id: string | null }[]>(
    'select request_hash, transaction_id from idempotency_keys where user_id = ? and key = ?',
    [userId, key],
  );
  if (!existing || existing.request_hash !== requestHash) {
    throw conflict('This idempotencyKey was already used with a different input');
  }
  if (!existing.transaction_id)
    throw conflict('The transaction created with this idempotencyKey was deleted');
  return existing.transaction_id;
}

export async function recordIdempotencyResult(
  em: EntityManager,
  userId: string,
  key: string,
  transactionId: string,
): Promise<void> {
  await em.execute('update idempotency_keys set transaction_id = ? where user_id = ? and key = ?', [
    transactionId,
    userId,
    key,
  ]);
}
