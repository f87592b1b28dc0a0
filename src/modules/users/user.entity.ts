import { Entity, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';

@ObjectType()
@Entity({ tableName: 'users' })
export class User extends BaseEntity<'name' | 'currency'> {
  /** Stored trimmed and lower-cased, so uniqueness is case-insensitive. */
  @Field()
  @Unique()
  @Property({ type: 'text' })
  email: string;

  /** A bcrypt hash; never exposed through GraphQL. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  name: string | null = null;

  @Field({ description: 'ISO 4217 code, default USD.' })
  @Property({ type: 'string', length: 3 })
  currency: string = 'USD';
}
