import { Check, Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { Account } from '../accounts/account.entity.js';
import { Category } from '../categories/category.entity.js';
import { User } from '../users/user.entity.js';

export enum TransactionType {
  INCOME = 'INCOME',
  EXPENSE = 'EXPENSE',
  TRANSFER = 'TRANSFER',
}
registerEnumType(TransactionType, { name: 'TransactionType' });

/**
 * Amounts are positive; the type gives the sign. account, transferAccount and category are
 * resolved by TransactionResolver through per-request loaders, so they are not fields here.
 * The database itself refuses rows that break the type rules.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'transactions' })
@Check({ name: 'transactions_amount_positive', expression: 'amount > 0' })
@Check({
  name: 'transactions_transfer_shape',
  expression: `(type = 'TRANSFER') = (transfer_account_id is not null) and (type <> 'TRANSFER' or category_id is null) and transfer_account_id is distinct from account_id`,
})
// Keyset pagination for each sort order, ties broken by id.
@Index({ properties: ['user', 'date', 'id'] })
@Index({ properties: ['user', 'amount', 'id'] })
@Index({ properties: ['user', 'createdAt', 'id'] })
@Index({
  name: 'transactions_tags_gin',
  expression: 'create index "transactions_tags_gin" on "transactions" using gin ("tags")',
})
@Index({ properties: ['user', 'account'] })
@Index({ properties: ['user', 'transferAccount'] })
@Index({ properties: ['user', 'category'] })
export class Transaction extends BaseEntity<
  'description' | 'payee' | 'tags' | 'bankId' | 'importId' | 'category' | 'transferAccount'
> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @ManyToOne(() => Account, { deleteRule: 'restrict' })
  account: Rel<Account>;

  @ManyToOne(() => Account, { nullable: true, deleteRule: 'restrict' })
  transferAccount: Rel<Account> | null = null;

  @ManyToOne(() => Category, { nullable: true, deleteRule: 'set null' })
  category: Rel<Category> | null = null;

  @Field(() => TransactionType)
  @Enum({ items: () => TransactionType, nativeEnumName: 'transaction_type' })
  type: TransactionType;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 19, scale: 4 })
  amount: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  date: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Field(() => String, { nullable: true, description: 'Who was paid or who paid.' })
  @Property({ type: 'text', nullable: true })
  payee: string | null = null;

  @Field(() => [String])
  @Property({ type: 'text[]', default: [] })
  tags: string[] = [];

  @Field(() => String, {
    nullable: true,
    description:
      'The id the bank gave this row in an imported file (OFX FITID or a mapped CSV column): the same row imported again is recognised by it.',
  })
  @Property({ type: 'text', nullable: true })
  bankId: string | null = null;

  @Field(() => ID, {
    nullable: true,
    description: 'The import that created this transaction (see imports, undoImport).',
  })
  @Property({ type: 'uuid', nullable: true })
  importId: string | null = null;
}
