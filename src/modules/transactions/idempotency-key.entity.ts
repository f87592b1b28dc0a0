import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { User } from '../users/user.entity.js';
import { Transaction } from './transaction.entity.js';

/**
 * A createTransaction idempotency key: written in the same database transaction as the
 * transaction it created, with a hash of the input, so a replay returns the original and a reuse
 * with another input is refused.
 */
@Entity({ tableName: 'idempotency_keys' })
export class IdempotencyKey {
  @ManyToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user: Rel<User>;

  @PrimaryKey({ type: 'text' })
  key: string;

  @Property({ type: 'string', length: 64 })
  requestHash: string;

  /** Null once the transaction is deleted; a replay then answers CONFLICT. */
  @ManyToOne(() => Transaction, { nullable: true, deleteRule: 'set null' })
  transaction: Rel<Transaction> | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
