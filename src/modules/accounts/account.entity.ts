import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { DecimalScalar } from '../../money/scalars.js';
import { User } from '../users/user.entity.js';

export enum AccountType {
  CHECKING = 'CHECKING',
  SAVINGS = 'SAVINGS',
  CREDIT_CARD = 'CREDIT_CARD',
  CASH = 'CASH',
  INVESTMENT = 'INVESTMENT',
  LOAN = 'LOAN',
  OTHER = 'OTHER',
}
registerEnumType(AccountType, { name: 'AccountType' });

@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'accounts' })
@Index({ properties: ['user', 'archived'] })
export class Account extends BaseEntity<'archived'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => AccountType)
  @Enum({ items: () => AccountType, nativeEnumName: 'account_type' })
  type: AccountType;

  @Field()
  @Property({ type: 'string', length: 3 })
  currency: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 19, scale: 4 })
  openingBalance: string;

  /**
   * openingBalance plus the effects of the account's transactions. Set to openingBalance when the
   * account is created and afterwards changed only by src/modules/ledger/balances.ts, in SQL.
   */
  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 19, scale: 4 })
  balance: string;

  @Field()
  @Property({ type: 'boolean', default: false })
  archived: boolean = false;
}
